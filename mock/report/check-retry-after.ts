import { groupOf } from './call-keys.js'
import { cite, count, decide, duration } from './evidence.js'
import type { Check, Evidence } from './report-types.js'

/**
 * Honours `Retry-After` after a 429: no call in the same rate-limit group arrives between the 429's
 * answer and the end of the wait it asked for. Calls already under way when the 429 went out are not
 * held against the client.
 */
export const retryAfterCheck: Check = {
  id: 'retry-after',
  title: 'honours Retry-After after a 429',
  rule:
    'After a 429 carrying Retry-After R (seconds) in rate-limit group G at sandbox time t, received whole by the client, no call in group G may ' +
    'arrive from the end of that answer until t + R. Fails on any such call; not exercised when no 429 carried Retry-After.',
  judge({ calls }) {
    const failures = new Map<string, Evidence>()
    const passes: Evidence[] = []
    let seen = 0
    calls.forEach((c, i) => {
      const e = c.entry
      if (e.status !== 429 || e.retryAfter === undefined || e.outcome !== 'answered') return
      seen++
      const group = groupOf(e)
      const until = c.t + e.retryAfter * 1000
      let early = 0
      let next: (typeof calls)[number] | undefined
      for (const n of calls.slice(i + 1)) {
        if (groupOf(n.entry) !== group || n.t < c.end) continue
        if (n.t >= until) {
          next = n
          break
        }
        early++
        failures.set(
          n.entry.id,
          cite(
            n.entry,
            `called group ${group} ${duration(n.t - c.t)} after a 429 that asked to wait ${e.retryAfter} s`,
          ),
        )
      }
      if (early === 0) {
        const after = next
          ? `the next call in group ${group} came ${duration(next.t - c.t)} later`
          : `no further call in group ${group}`
        passes.push(cite(e, `429 asked to wait ${e.retryAfter} s; ${after}`))
      }
    })
    return decide({
      exercised: seen > 0,
      failures: [...failures.values()],
      passes,
      pass: `Waited out Retry-After after each of ${count(seen, '429 answer')}.`,
      fail: `${count(failures.size, 'call')} arrived before the wait a 429 asked for had elapsed.`,
      none: 'No 429 with Retry-After was answered to this client.',
    })
  },
}
