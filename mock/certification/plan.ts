import type { EffectSpec } from '../scenarios/types.js'

/**
 * The pace of a certification run. `fast` (the default, for CI): production's answers with short
 * waits, the whole run under a minute for a careful client. `production`: production's own values
 * (the ban shortened to two minutes so that the run ends).
 */
export type Pace = 'fast' | 'production'
export const PACES: readonly Pace[] = ['fast', 'production']

/** The waits a pace sets, ms. */
export interface PaceValues {
  /** `Retry-After` of the 429. */
  retryAfter429: number
  /** `meta.retry_in` of the 502. */
  retryIn502: number
  /** `Retry-After` of the 503: the maintenance pauses the whole API that long. */
  maintenance503: number
  /** Provider wait before the 504. */
  providerWait504: number
  /** How long a hung call is held before the sandbox drops it (a client without timeout waits that long). */
  hangHold: number
  /** Latency added to the flaky step's slow call. */
  latency: number
  /** How long the sandbox holds a banned client's call before dropping it. */
  banHold: number
}

export const PACE_VALUES: Record<Pace, PaceValues> = {
  fast: {
    retryAfter429: 2_000,
    retryIn502: 2_000,
    maintenance503: 2_000,
    providerWait504: 2_000,
    hangHold: 8_000,
    latency: 300,
    banHold: 1_000,
  },
  production: {
    retryAfter429: 5_000,
    retryIn502: 10_000,
    maintenance503: 30_000,
    providerWait504: 10_000,
    hangHold: 60_000,
    latency: 1_500,
    banHold: 60_000,
  },
}

/** What a step does to the `k`-th call (1-based) of its window, `sinceFirstMs` after its first call. */
export type StepPlay = (k: number, sinceFirstMs: number, pace: PaceValues) => EffectSpec | undefined

/** One step of the certification run: an incident, played in a window of its own. */
export interface StepSpec {
  id: string
  title: string
  /** Verdict checks the step exists to exercise. */
  checks: readonly string[]
  /** Length of its window on the client's sandbox clock, ms, by pace. */
  window: Record<Pace, number>
  /** The effect on a call in the window, if any. */
  play: StepPlay
  /** Token requests in the window get single-use tokens. */
  singleUseTokens?: boolean
  /** No incident: the step is played once the client calls in its window. */
  quiet?: boolean
}

/**
 * The certification run, step by step. A step's window opens at the client's first call once the
 * step before it is over, and lasts its length whatever the client does: a ban earned in a step ends
 * with that step's window, so every step is played. Effects fall on the first calls of a window.
 */
export const PLAN: readonly StepSpec[] = [
  {
    id: 'partial-206',
    title: '206: a partial answer, two fields "Donnée indisponible"',
    checks: [],
    window: { fast: 2_000, production: 10_000 },
    play: (k) => (k <= 2 ? { type: 'partial', random: 2 } : undefined),
  },
  {
    id: 'burst-429',
    title: '429 burst: RateLimit headers and Retry-After',
    checks: ['retry-after'],
    window: { fast: 4_000, production: 20_000 },
    play: (k, _, p) =>
      k === 1 ? { type: 'rate-limit', retryAfterMs: p.retryAfter429 } : undefined,
  },
  {
    id: 'provider-502',
    title: '502 from the data provider with meta.retry_in',
    checks: ['retry-in'],
    window: { fast: 4_000, production: 25_000 },
    play: (k, _, p) => (k === 1 ? { type: 'provider-error', retryInMs: p.retryIn502 } : undefined),
  },
  {
    id: 'maintenance-503',
    title: '503 maintenance with Retry-After: the whole API pauses',
    checks: ['retry-after', 'backoff'],
    window: { fast: 4_000, production: 45_000 },
    play: (_, since, p) =>
      since < p.maintenance503
        ? { type: 'maintenance', retryAfterMs: p.maintenance503 - since }
        : undefined,
  },
  {
    id: 'provider-504',
    title: '504 after the provider wait',
    checks: ['backoff'],
    window: { fast: 5_000, production: 30_000 },
    play: (k, _, p) =>
      k === 1 ? { type: 'provider-timeout', waitMs: p.providerWait504 } : undefined,
  },
  {
    id: 'token-expiry',
    title: 'expired access token: 401 00103',
    checks: ['token-expiry'],
    window: { fast: 2_000, production: 10_000 },
    play: (k) => (k === 1 ? { type: 'token-expired' } : undefined),
  },
  {
    id: 'single-use',
    title: 'single-use tokens: the API takes each token once',
    checks: ['single-use'],
    window: { fast: 3_000, production: 15_000 },
    play: () => undefined,
    singleUseTokens: true,
  },
  {
    id: 'flaky-network',
    title: 'flaky network: reset, truncated body, hang, latency',
    checks: ['backoff', 'timeouts'],
    window: { fast: 11_000, production: 90_000 },
    play: (k, _, p) =>
      k === 1
        ? { type: 'reset' }
        : k === 2
          ? { type: 'truncate', keep: 0.5 }
          : k === 3
            ? { type: 'hang', forMs: p.hangHold }
            : k === 4
              ? { type: 'latency', delay: { fixed: p.latency } }
              : undefined,
  },
  {
    id: 'ban',
    title: 'IP ban: no answer at all until the ban ends',
    checks: ['ban'],
    window: { fast: 8_000, production: 120_000 },
    play: (k) => (k === 1 ? { type: 'ban' } : undefined),
  },
  {
    id: 'recovery',
    title: 'after the ban: calls are answered again',
    checks: [],
    window: { fast: 2_000, production: 10_000 },
    play: () => undefined,
    quiet: true,
  },
]

/** Sum of the windows of a pace: the shortest a run can last, ms. */
export const planLength = (pace: Pace): number => PLAN.reduce((t, s) => t + s.window[pace], 0)
