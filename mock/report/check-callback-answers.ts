import { CALLBACK_ANSWER_MS, deliveriesOf } from './callback-deliveries.js'
import { cite, count, decide, duration } from './evidence.js'
import type { Check, Evidence } from './report-types.js'

/** The receiver answers each call-back with a 2xx, in time. */
export const callbackAnswersCheck: Check = {
  id: 'callback-answers',
  title: 'answers call-backs with a 2xx within 5 s',
  rule:
    "Every call-back the sandbox delivered to the URL on the client's API account (first sending or retry) " +
    `must be answered with a 2xx status within ${CALLBACK_ANSWER_MS / 1000} s. Fails on any other status, ` +
    'a timeout or an unreachable receiver; not exercised when no call-back was sent.',
  applies: (contract) => contract.callsBack === true,
  judge({ callbacks }) {
    const sent = deliveriesOf(callbacks, 'event')
    const failures: Evidence[] = []
    const passes: Evidence[] = []
    for (const e of sent) {
      const ok = e.status !== undefined && e.status >= 200 && e.status < 300
      if (ok && e.latencyMs <= CALLBACK_ANSWER_MS)
        passes.push(cite(e, `answered ${e.status} in ${duration(e.latencyMs)}`))
      else
        failures.push(
          cite(
            e,
            e.status === undefined
              ? `no answer (${e.code ?? 'unreachable'}) after ${duration(e.latencyMs)}`
              : ok
                ? `answered ${e.status}, but after ${duration(e.latencyMs)}`
                : `answered ${e.status}`,
          ),
        )
    }
    return decide({
      exercised: sent.length > 0,
      failures,
      passes,
      pass: `Answered each of ${count(sent.length, 'call-back')} with a 2xx in time.`,
      fail: `${count(failures.length, 'call-back')} of ${sent.length} got no 2xx in time (the sandbox retried them).`,
      none: 'No call-back was sent to this client (no account URL, or no status change).',
    })
  },
}
