import type { JournalEntry } from '../journal/journal-entry.js'

/**
 * Timing tolerances of the verdict (docs/verdict.md). A client's timers fire late by a few ms to a
 * second, and the sandbox measures from the arrival of the call it answered: a wait that is a little
 * short of what was asked, or two equal waits that differ by jitter, are not the client's fault.
 */

/** Share of an asked wait a client may fall short of it by. */
export const WAIT_TOLERANCE_SHARE = 0.05
/** Most a client may fall short of an asked wait by, ms. */
export const WAIT_TOLERANCE_MAX_MS = 1000

/** How much shorter than `askedMs` a wait may be and still honour it: 5 % of it, at most 1 s. */
export const waitTolerance = (askedMs: number): number =>
  Math.min(WAIT_TOLERANCE_MAX_MS, Math.max(0, askedMs) * WAIT_TOLERANCE_SHARE)

/** True when a wait of `waitedMs` honours an asked wait of `askedMs`, tolerance included. */
export const honours = (waitedMs: number, askedMs: number): boolean =>
  waitedMs >= askedMs - waitTolerance(askedMs)

/**
 * Resolution of client timers: libraries check their timeouts on a coarse tick (undici every 0.5 to
 * 1 s), so a timeout of T closes a call up to about 1 s after T.
 */
export const TIMER_RESOLUTION_MS = 1000

/** Network faults the sandbox plays: a call that met one got no usable answer. */
export const NETWORK_FAULT = /^(reset|truncated|hang|dribbled)/

/** The network fault a call met, if any (`reset`, `truncated at ...`, `hang`, `dribbled ...`). */
export function networkFault(e: JournalEntry): string | undefined {
  const fault = e.notes?.fault
  return typeof fault === 'string' && NETWORK_FAULT.test(fault) ? fault : undefined
}
