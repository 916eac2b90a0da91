import { parseDuration } from '../clock/clock.js'
import type {
  ClockTime,
  DelaySpec,
  EffectSpec,
  EffectType,
  MatchSpec,
  Rule,
  WhenSpec,
} from './types.js'

/** A scenario file's content once it matches `scenarios/scenario.schema.json`. */
export interface RawScenario {
  name?: string
  description: string
  good_client?: string
  seed?: number
  match?: RawMatch
  when?: RawWhen
  effect?: RawEffect
  rules?: Array<{ match?: RawMatch; when?: RawWhen; effect: RawEffect; description?: string }>
  sequence?: Array<{
    calls?: number
    scenario?: string
    match?: RawMatch
    when?: RawWhen
    effect?: RawEffect
    description?: string
  }>
}
type Duration = number | string
type RawDelay = Duration | { min: Duration; max: Duration } | { mean: Duration; stddev: Duration }
export type RawMatch = Partial<
  Record<'operations' | 'groups' | 'identifiers' | 'methods', Array<string | number>>
>
export interface RawWhen {
  from_call?: number
  calls?: number
  every?: number
  probability?: number
  window?: { from?: string; until?: string }
}
export interface RawEffect {
  type: EffectType
  delay?: RawDelay
  retry_after?: Duration
  retry_in?: Duration
  wait?: Duration
  for?: Duration
  code?: string
  status?: number
  fields?: string[]
  random?: number
  chunk_bytes?: number
  interval?: Duration
  keep?: number
}

// The schema has checked every duration's syntax already.
const ms = (d: Duration): number => parseDuration(d)!

export function normalizeMatch(raw: RawMatch | undefined): MatchSpec[] {
  if (!raw) return []
  const set = (v: Array<string | number> | undefined): ReadonlySet<string> | undefined =>
    v ? new Set(v.map(String)) : undefined
  const methods = raw.methods ? new Set(raw.methods.map((m) => String(m).toUpperCase())) : undefined
  const spec: MatchSpec = {
    ...(raw.operations ? { operations: set(raw.operations)! } : {}),
    ...(raw.groups ? { groups: set(raw.groups)! } : {}),
    ...(raw.identifiers ? { identifiers: set(raw.identifiers)! } : {}),
    ...(methods ? { methods } : {}),
  }
  return [spec]
}

/** `HH:MM` is a daily minute (UTC); anything else an ISO instant. */
export function parseClockTime(text: string): ClockTime {
  const daily = /^(\d{2}):(\d{2})$/.exec(text)
  return daily ? { daily: Number(daily[1]) * 60 + Number(daily[2]) } : { at: Date.parse(text) }
}

export function normalizeWhen(raw: RawWhen | undefined): WhenSpec | undefined {
  if (!raw) return undefined
  const window = raw.window
    ? {
        ...(raw.window.from ? { from: parseClockTime(raw.window.from) } : {}),
        ...(raw.window.until ? { until: parseClockTime(raw.window.until) } : {}),
      }
    : undefined
  return {
    fromCall: raw.from_call ?? 1,
    ...(raw.calls !== undefined ? { calls: raw.calls } : {}),
    ...(raw.every !== undefined ? { every: raw.every } : {}),
    ...(raw.probability !== undefined ? { probability: raw.probability } : {}),
    ...(window ? { window } : {}),
  }
}

function normalizeDelay(raw: RawDelay): DelaySpec {
  if (typeof raw !== 'object') return { fixed: ms(raw) }
  return 'min' in raw
    ? { min: ms(raw.min), max: ms(raw.max) }
    : { mean: ms(raw.mean), stddev: ms(raw.stddev) }
}

export function normalizeEffect(raw: RawEffect): EffectSpec {
  const e: EffectSpec = { type: raw.type }
  if (raw.delay !== undefined) e.delay = normalizeDelay(raw.delay)
  if (raw.retry_after !== undefined) e.retryAfterMs = ms(raw.retry_after)
  if (raw.retry_in !== undefined) e.retryInMs = ms(raw.retry_in)
  if (raw.wait !== undefined) e.waitMs = ms(raw.wait)
  if (raw.for !== undefined) e.forMs = ms(raw.for)
  if (raw.interval !== undefined) e.intervalMs = ms(raw.interval)
  if (raw.code !== undefined) e.code = raw.code
  if (raw.status !== undefined) e.status = raw.status
  if (raw.fields !== undefined) e.fields = raw.fields
  if (raw.random !== undefined) e.random = raw.random
  if (raw.chunk_bytes !== undefined) e.chunkBytes = raw.chunk_bytes
  if (raw.keep !== undefined) e.keep = raw.keep
  return e
}

/** The rules a plain scenario file describes (`effect` + `when`, or `rules`). */
export function normalizeRules(raw: RawScenario, name: string): Rule[] {
  const seed = raw.seed ?? 1
  const list =
    raw.rules ??
    (raw.effect ? [{ effect: raw.effect, ...(raw.when ? { when: raw.when } : {}) }] : [])
  return list.map((r, index) => {
    const when = normalizeWhen(r.when)
    return {
      match: normalizeMatch(r.match),
      ...(when ? { when } : {}),
      effect: normalizeEffect(r.effect),
      seed,
      index,
      from: name,
    }
  })
}
