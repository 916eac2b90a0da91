import { deliveriesOf } from './callback-deliveries.js'
import { cite, decide } from './evidence.js'
import type { Check, Evidence } from './report-types.js'

/** The receiver checks the token of the call-backs it gets. */
export const callbackTokenCheck: Check = {
  id: 'callback-token',
  title: 'rejects a call-back carrying a wrong token',
  rule:
    'After the first call-back the receiver accepted, the sandbox sends it once with a token other than the one ' +
    'registered on the API account. The receiver must answer 401 or 403. Fails on any other answer; not ' +
    'exercised when no call-back was accepted.',
  applies: (contract) => contract.callsBack === true,
  judge({ callbacks }) {
    const probes = deliveriesOf(callbacks, 'wrong-token')
    const failures: Evidence[] = []
    const passes: Evidence[] = []
    for (const e of probes) {
      if (e.status === 401 || e.status === 403)
        passes.push(cite(e, `a wrong token was refused with ${e.status}`))
      else
        failures.push(
          cite(e, `a wrong token was answered ${e.status ?? e.code ?? 'nothing'}, not 401 or 403`),
        )
    }
    return decide({
      exercised: probes.length > 0,
      failures,
      passes,
      pass: 'Refused a call-back that carried a wrong token.',
      fail: 'Accepted a call-back that carried a wrong token: anyone could post to it.',
      none: 'No call-back was accepted, so no wrong token was tried.',
    })
  },
}
