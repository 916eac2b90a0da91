import { deliveriesOf } from './callback-deliveries.js'
import { cite, decide } from './evidence.js'
import type { Check, Evidence } from './report-types.js'

/** A second sending of the same event is accepted without harm. */
export const callbackIdempotentCheck: Check = {
  id: 'callback-idempotent',
  title: 'accepts a redelivered call-back',
  rule:
    'After the first call-back the receiver accepted, the sandbox sends it once more, same event id and body ' +
    '(production redelivers when an answer is lost). The receiver must answer it 2xx too, as it did the first ' +
    'time (a receiver that fails on a duplicate fails here). Not exercised when no call-back was accepted.',
  applies: (contract) => contract.callsBack === true,
  judge({ callbacks }) {
    const again = deliveriesOf(callbacks, 'redelivery')
    const failures: Evidence[] = []
    const passes: Evidence[] = []
    for (const e of again) {
      if (e.status !== undefined && e.status >= 200 && e.status < 300)
        passes.push(cite(e, `the same event sent again was answered ${e.status}`))
      else
        failures.push(
          cite(e, `the same event sent again was answered ${e.status ?? e.code ?? 'nothing'}`),
        )
    }
    return decide({
      exercised: again.length > 0,
      failures,
      passes,
      pass: 'Accepted a redelivered call-back as it accepted the first.',
      fail: 'Refused a call-back it had already accepted once: a lost answer would make it fail.',
      none: 'No call-back was accepted, so none was redelivered.',
    })
  },
}
