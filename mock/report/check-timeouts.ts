import { cite, count, decide, duration } from './evidence.js'
import type { Check, Evidence } from './report-types.js'
import { TIMER_RESOLUTION_MS } from './tolerance.js'

/** Recommended client timeouts (API Entreprise): JSON endpoints, document endpoints, ms. */
export const TIMEOUTS = { json: 5_000, document: 12_000 } as const
/** Slack over the recommended timeout, for scheduling and network time. */
export const TIMEOUT_SLACK = 1.1

/**
 * Latest a client may close a stalled call, ms: the recommended timeout plus 10 %, and at least the
 * timer resolution of client libraries (undici's 5 s `headersTimeout` closes at 5.5 to 5.7 s).
 */
export const timeoutLimit = (recommendedMs: number): number =>
  Math.max(recommendedMs * TIMEOUT_SLACK, recommendedMs + TIMER_RESOLUTION_MS)

/** Sets client timeouts: closes a stalled call within 5 s (JSON) or 12 s (documents). */
export const timeoutsCheck: Check = {
  id: 'timeouts',
  title: 'sets client timeouts (gives up on a hung call within 5 s for JSON, 12 s for documents)',
  rule:
    'Judged on calls the sandbox stalled on purpose (a hang, a provider wait, latency, a slow body, a ban hold). The limit ' +
    `is ${TIMEOUTS.json / 1000} s for JSON operations and ${TIMEOUTS.document / 1000} s for document operations, plus ` +
    `${Math.round((TIMEOUT_SLACK - 1) * 100)} % or the ${TIMER_RESOLUTION_MS / 1000} s resolution of client timers, whichever is more ` +
    `(${timeoutLimit(TIMEOUTS.json) / 1000} s and ${timeoutLimit(TIMEOUTS.document) / 1000} s); durations are real time, never scaled: a client's own timeouts are its own. A stalled call ` +
    'the client closed before the answer passes if it closed within the limit and fails otherwise; a stalled call the ' +
    'client was still waiting on past the limit (answered late, or closed by the sandbox) fails. Not exercised when no ' +
    'stalled call reached the limit or was closed by the client.',
  judge({ calls, contract }) {
    const failures: Evidence[] = []
    const passes: Evidence[] = []
    for (const { entry } of calls) {
      if (!entry.stalled) continue
      const kind = contract.isDocument(entry.operation, entry.rateGroup, entry.api)
        ? 'document'
        : 'json'
      const limit = timeoutLimit(TIMEOUTS[kind])
      if (entry.clientClosed) {
        const waited = entry.clientClosedAfterMs ?? entry.latencyMs
        const note = `closed a stalled ${kind} call after ${duration(waited)}`
        if (waited <= limit) passes.push(cite(entry, note))
        else failures.push(cite(entry, `${note}: limit ${TIMEOUTS[kind] / 1000} s`))
        continue
      }
      const waited = entry.latencyMs
      if (waited <= limit) continue
      const how =
        entry.outcome === 'answered'
          ? 'until the answer came'
          : 'until the sandbox closed the connection'
      failures.push(
        cite(
          entry,
          `waited ${duration(waited)} on a stalled ${kind} call ${how}: limit ${TIMEOUTS[kind] / 1000} s`,
        ),
      )
    }
    return decide({
      exercised: failures.length + passes.length > 0,
      failures,
      passes,
      pass: `Gave up in time on each of ${count(passes.length, 'stalled call')}.`,
      fail: `${count(failures.length, 'stalled call')} kept the client waiting past the recommended timeout.`,
      none: 'No call was stalled long enough to need a client timeout.',
    })
  },
}
