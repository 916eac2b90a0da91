import { sandboxNow, type Stage } from '../http/exchange.js'

/** Header on answers to a client whose sandbox clock is shifted: the offset from real time, seconds. */
export const CLOCK_OFFSET_HEADER = 'sandbox-clock-offset'
/** Header on the same answers: the client's sandbox time, ISO 8601. */
export const CLOCK_NOW_HEADER = 'sandbox-clock'

/**
 * Marks answers to a client whose clock was moved (`POST /__sandbox/clock`), so that nobody mistakes
 * sandbox time for real time when reading `RateLimit-Reset`, token expiries or `retry_in`.
 */
export function markClockShift(): Stage {
  return (ex) => {
    if (ex.clockOffset <= 0) return
    ex.headers[CLOCK_OFFSET_HEADER] = String(Math.round(ex.clockOffset / 1000))
    ex.headers[CLOCK_NOW_HEADER] = new Date(sandboxNow(ex)).toISOString()
  }
}
