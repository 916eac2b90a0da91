/** Scenarios after loading: durations in ms, names resolved, sequences flattened into steps of rules. */

/** Which requests a rule applies to; each given list must contain the request's value. */
export interface MatchSpec {
  operations?: ReadonlySet<string>
  groups?: ReadonlySet<string>
  identifiers?: ReadonlySet<string>
  methods?: ReadonlySet<string>
}

/** A time on the client's sandbox clock: an instant, or a daily minute (UTC). */
export type ClockTime = { at: number } | { daily: number }

/** When a rule fires, by the 1-based number `k` of the call among the scenario's matching calls. */
export interface WhenSpec {
  fromCall: number
  calls?: number
  every?: number
  probability?: number
  window?: { from?: ClockTime; until?: ClockTime }
}

/** A wait before an effect, ms before the `delayFactor` scale. */
export type DelaySpec =
  { fixed: number } | { min: number; max: number } | { mean: number; stddev: number }

/** Every effect type a scenario may name. */
export const EFFECT_TYPES = [
  'rate-limit',
  'partial',
  'provider-error',
  'maintenance',
  'provider-timeout',
  'conflict',
  'non-diffusible',
  'token-expired',
  'token-blacklisted',
  'ban',
  'reset',
  'hang',
  'dribble',
  'truncate',
  'latency',
  'status',
] as const

export type EffectType = (typeof EFFECT_TYPES)[number]

/** What happens when a rule fires. Only the fields of its type are set; durations are ms. */
export interface EffectSpec {
  type: EffectType
  delay?: DelaySpec
  /** rate-limit, maintenance: length of the period `Retry-After` announces. */
  retryAfterMs?: number
  /** provider-error: `meta.retry_in`, ms (sent in seconds). */
  retryInMs?: number
  /** provider-timeout: the provider wait. */
  waitMs?: number
  /** conflict: how long the same request stays in progress; ban: the ban's length; hang: the longest hold. */
  forMs?: number
  code?: string
  status?: number
  fields?: string[]
  random?: number
  chunkBytes?: number
  intervalMs?: number
  keep?: number
}

export interface Rule {
  /** Every match must pass (the scenario's own, then the rule's). */
  match: MatchSpec[]
  when?: WhenSpec
  effect: EffectSpec
  /** Seed of the scenario the rule comes from. */
  seed: number
  /** Position of the rule in its scenario, so that two rules draw different numbers. */
  index: number
  /** The scenario the rule was written in (a sequence step may borrow another's). */
  from: string
}

/** A span of a sequence: `calls` calls (`undefined`: until the end) during which `rules` apply. */
export interface Step {
  calls?: number
  rules: Rule[]
  description?: string
  /** Name of the scenario the step plays, if any. */
  scenario?: string
}

export interface Scenario {
  name: string
  description: string
  goodClient?: string
  /** File it was loaded from. */
  file: string
  /** Match applied to every call before it is counted. */
  match: MatchSpec[]
  /** A plain scenario has one step lasting forever; a sequence has several. */
  steps: Step[]
  sequence: boolean
}

/** The facts about a request that rules match on. */
export interface RequestFacts {
  operationId: string
  group?: string
  method: string
  /** Path and data query values (SIREN, SIRET...). */
  identifiers: string[]
}
