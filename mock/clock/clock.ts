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
  /** {@link offset} read at once, where the store is local (the embedded store); absent on Redis. */
  readonly offsetAtOnce?: (clientId: string) => number
  /** Sandbox time of a client, ms. */
  now(clientId: string): Promise<number>
  read(clientId: string): Promise<ClockReading>
  /** Moves a client's clock forward by `ms` (never backward). */
  advance(clientId: string, ms: number): Promise<ClockReading>
  /** Brings a client's clock back to real time. */
  reset(clientId: string): Promise<ClockReading>
}

const NS = 'clock'

/** Farthest a sandbox clock may be moved from real time: ten years, ms. */
export const MAX_CLOCK_OFFSET_MS = 10 * 365 * 86_400_000
/** Latest instant the sandbox deals in (9999-12-31T23:59:59.999Z), ms; `Date` handles it everywhere. */
export const MAX_TIME_MS = 253_402_300_799_999

/** True for a time (ms since epoch) between 1970 and the year 9999. */
export const isSaneTime = (ms: number): boolean =>
  typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= MAX_TIME_MS

/** A move of the clock that would take it beyond {@link MAX_CLOCK_OFFSET_MS}. */
export class ClockRangeError extends RangeError {
  override readonly name = 'ClockRangeError'
}

/** A stored offset as the clock uses it: a number within the bound, anything else read as 0. */
const saneOffset = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value)
    ? Math.min(Math.max(value, 0), MAX_CLOCK_OFFSET_MS)
    : 0

/**
 * Per-client sandbox clock: real time plus an offset kept in the client's scope of the store. Every
 * time-based rule reads it, so a CI job can live through a 12-hour ban in milliseconds.
 */
export function createSandboxClock(store: Store, realNow: () => number): SandboxClock {
  // A state file written before the bound existed may hold anything: it is read within the bound.
  const offset = async (clientId: string): Promise<number> =>
    saneOffset(await store.scope(clientId).get<unknown>(NS, 'offset'))
  const read = async (clientId: string): Promise<ClockReading> => {
    const o = await offset(clientId)
    return { clientId, offset: o, now: realNow() + o }
  }
  return {
    offset,
    ...(store.global.local && {
      offsetAtOnce: (clientId: string) =>
        saneOffset(store.scope(clientId).local!.get<unknown>(NS, 'offset')),
    }),
    now: async (clientId) => realNow() + (await offset(clientId)),
    read,
    advance: async (clientId, ms) => {
      if (!Number.isFinite(ms) || ms < 0)
        throw new ClockRangeError('a clock only moves forward: give a positive duration')
      const current = await offset(clientId)
      if (current + ms > MAX_CLOCK_OFFSET_MS) {
        const left = Math.floor((MAX_CLOCK_OFFSET_MS - current) / 1000)
        throw new ClockRangeError(
          `a sandbox clock stays within 10 years of real time; this one can move ${left} s more. Use "reset": true to bring it back.`,
        )
      }
      const scope = store.scope(clientId)
      await scope.set(NS, 'offset', current + ms)
      return read(clientId)
    },
    reset: async (clientId) => {
      await store.scope(clientId).delete(NS, 'offset')
      return read(clientId)
    },
  }
}

/** Longest duration {@link parseDuration} accepts: 100 years, s. Longer ones are mistakes. */
const MAX_DURATION_S = 100 * 365 * 86_400

/** Parses a duration: a number of seconds, or `90s`, `15m`, `12h`, `2d`, `1h30m`. Returns ms, or `undefined`. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 && value <= MAX_DURATION_S
      ? value * 1000
      : undefined
  if (typeof value !== 'string' || !value.trim()) return undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return parseDuration(Number(text))
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
  let total = 0
  let rest = text
  if (text.length > 64) return undefined
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)/.exec(rest)
    if (!m) return undefined
    total += Number(m[1]) * unit[m[2]!]!
    rest = rest.slice(m[0].length)
  }
  return Number.isFinite(total) && total <= MAX_DURATION_S * 1000 ? total : undefined
}
