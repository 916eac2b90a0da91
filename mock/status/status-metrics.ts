import type { Journal } from '../journal/journal.js'

/** One minute of API traffic. */
export interface MinuteLoad {
  /** Start of the minute, real ms. */
  at: number
  requests: number
  perSecond: number
  /** Milliseconds; `null` for a minute without requests. */
  p50: number | null
  p95: number | null
}

export interface OperationUsage {
  operation: string
  requests: number
  errors: number
}

/** The status page's figures over the last hour. */
export interface ServiceLoad {
  /** Real ms the figures were computed at. */
  at: number
  minutes: MinuteLoad[]
  total: number
  operations: OperationUsage[]
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
/** Figures are recomputed at most this often, whatever the number of readers. */
const CACHE_MS = 5_000

const quantile = (sorted: number[], q: number): number | null =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : null

/**
 * Load over the last hour, minute by minute, and usage per operation, read from the journal's API
 * entries (every replica's, with a shared journal). Cached briefly: the status page is public.
 */
export function createLoadMeter(journal: Journal, now: () => number) {
  let cached: ServiceLoad | undefined
  let running: Promise<ServiceLoad> | undefined
  const compute = async (): Promise<ServiceLoad> => {
    const end = Math.ceil(now() / MINUTE) * MINUTE
    const start = end - HOUR
    const latencies: number[][] = Array.from({ length: 60 }, () => [])
    const ops = new Map<string, OperationUsage>()
    let total = 0
    for await (const e of journal.stream({ kind: 'api', from: start })) {
      const at = Date.parse(e.at)
      const slot = Math.floor((at - start) / MINUTE)
      if (slot < 0 || slot >= 60) continue
      latencies[slot]!.push(e.latencyMs)
      total++
      const name = e.operation ?? ''
      let use = ops.get(name)
      if (!use) ops.set(name, (use = { operation: name, requests: 0, errors: 0 }))
      use.requests++
      if (e.status === undefined || e.status >= 400) use.errors++
    }
    const minutes = latencies.map((list, i) => {
      const sorted = list.sort((a, b) => a - b)
      return {
        at: start + i * MINUTE,
        requests: list.length,
        perSecond: Math.round((list.length / 60) * 100) / 100,
        p50: quantile(sorted, 0.5),
        p95: quantile(sorted, 0.95),
      }
    })
    const operations = [...ops.values()].sort(
      (a, b) => b.requests - a.requests || a.operation.localeCompare(b.operation),
    )
    return { at: now(), minutes, total, operations }
  }
  return {
    read: async (): Promise<ServiceLoad> => {
      if (cached && now() - cached.at < CACHE_MS) return cached
      running ??= compute().finally(() => {
        running = undefined
      })
      cached = await running
      return cached
    },
  }
}

export type LoadMeter = ReturnType<typeof createLoadMeter>
