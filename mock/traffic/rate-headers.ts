import type { SandboxContext } from '../context.js'
import type { Exchange, Reply } from '../http/exchange.js'

/**
 * Sets `ex.rate` and the headers that tell it, `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (Unix seconds of the period's
 * end, on the client's sandbox clock), as production sends them on every answer.
 */
export function setRateHeaders(
  ex: Exchange,
  limit: number,
  remaining: number,
  resetAtMs: number,
): void {
  ex.rate = { limit, remaining: Math.max(0, remaining), resetAt: resetAtMs }
  ex.headers['ratelimit-limit'] = String(limit)
  ex.headers['ratelimit-remaining'] = String(ex.rate.remaining)
  ex.headers['ratelimit-reset'] = String(Math.ceil(resetAtMs / 1000))
}

/** Seconds from `nowMs` to `untilMs`, rounded up, at least 1: what `Retry-After` says. */
export const secondsUntil = (untilMs: number, nowMs: number): number =>
  Math.max(1, Math.ceil((untilMs - nowMs) / 1000))

/** The 429 answer: the contract's body, `Retry-After` until the period ends, and the rate headers. */
export function tooManyRequests(
  ctx: SandboxContext,
  ex: Exchange,
  resetAtMs: number,
  nowMs: number,
): Reply {
  ex.headers['retry-after'] = String(secondsUntil(resetAtMs, nowMs))
  return ctx.errors(ex.operation, 429)
}
