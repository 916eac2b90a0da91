import { resourceOf } from './call-keys.js'
import { cite, count, decide, duration } from './evidence.js'
import type { Check, Evidence } from './report-types.js'
import { waitTolerance } from './tolerance.js'

/** Waits out `meta.retry_in` (a 502 provider error): no call for the same resource before it elapses. */
export const retryInCheck: Check = {
  id: 'retry-in',
  title: 'honours meta.retry_in after a 502',
  rule:
    'After an error answer carrying meta.retry_in R (seconds) for resource K (operation and identifying parameters), ' +
    'received whole by the client, ' +
    'at sandbox time t: no call for K may arrive from the end of that answer until t + R; a call less than 5 % of R (at most ' +
    '1 s) early is tolerated. Fails on any other such call; ' +
    'not exercised when no answer carried meta.retry_in.',
  judge({ calls }) {
    const failures = new Map<string, Evidence>()
    const passes: Evidence[] = []
    let seen = 0
    calls.forEach((c, i) => {
      const e = c.entry
      if (e.retryIn === undefined || e.outcome !== 'answered') return
      seen++
      const resource = resourceOf(e)
      const until = c.t + e.retryIn * 1000 - waitTolerance(e.retryIn * 1000)
      let early = 0
      for (const n of calls.slice(i + 1)) {
        if (n.t >= until) break
        if (resourceOf(n.entry) !== resource || n.t < c.end) continue
        early++
        failures.set(
          n.entry.id,
          cite(
            n.entry,
            `asked for the same resource ${duration(n.t - c.t)} after a ${e.status} whose retry_in was ${e.retryIn} s`,
          ),
        )
      }
      if (early === 0)
        passes.push(
          cite(
            e,
            `${e.status} with retry_in ${e.retryIn} s; no call for this resource before it elapsed`,
          ),
        )
    })
    return decide({
      exercised: seen > 0,
      failures: [...failures.values()],
      passes,
      pass: `Waited out retry_in after each of ${count(seen, 'answer')} that carried it.`,
      fail: `${count(failures.size, 'call')} asked for a resource again before its retry_in had elapsed.`,
      none: 'No answer to this client carried meta.retry_in.',
    })
  },
}
