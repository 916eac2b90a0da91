import type { Store } from '../store/store.js'

/** A client's sandbox clock as shown by `GET /__sandbox/clock`. */
export interface ClockReading {
  clientId: string
  /** Offset from real time, ms (>= 0). */
  offset: number
  /** Sandbox time now, ms since epoch. */
  now: number
}

export interface SandboxClock {
  /** Offset of a client's clock from real time, ms. */
  offset(clientId: string): Promise<number>
  /** Sandbox time of a client, ms. */
  now(clientId: string): Promise<number>
  read(clientId: string): Promise<ClockReading>
  /** Moves a client's clock forward by `ms` (never backward). */
  advance(clientId: string, ms: number): Promise<ClockReading>
  /** Brings a client's clock back to real time. */
  reset(clientId: string): Promise<ClockReading>
}

const NS = 'clock'

/**
 * Per-client sandbox clock: real time plus an offset kept in the client's scope of the store. Every
 * time-based rule reads it, so a CI job can live through a 12-hour ban in milliseconds.
 */
export function createSandboxClock(store: Store, realNow: () => number): SandboxClock {
  const offset = async (clientId: string): Promise<number> =>
    (await store.scope(clientId).get<number>(NS, 'offset')) ?? 0
  const read = async (clientId: string): Promise<ClockReading> => {
    const o = await offset(clientId)
    return { clientId, offset: o, now: realNow() + o }
  }
  return {
    offset,
    now: async (clientId) => realNow() + (await offset(clientId)),
    read,
    advance: async (clientId, ms) => {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError('a clock only moves forward: give a positive duration')
      const scope = store.scope(clientId)
      await scope.set(NS, 'offset', (await offset(clientId)) + ms)
      return read(clientId)
    },
    reset: async (clientId) => {
      await store.scope(clientId).delete(NS, 'offset')
      return read(clientId)
    },
  }
}

/** Parses a duration: a number of seconds, or `90s`, `15m`, `12h`, `2d`, `1h30m`. Returns ms, or `undefined`. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined
  if (typeof value !== 'string' || !value.trim()) return undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
  let total = 0
  let rest = text
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)/.exec(rest)
    if (!m) return undefined
    total += Number(m[1]) * unit[m[2]!]!
    rest = rest.slice(m[0].length)
  }
  return total
}
