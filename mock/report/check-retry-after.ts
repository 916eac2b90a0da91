import { groupOf } from './call-keys.js'
import { cite, count, decide, duration } from './evidence.js'
import type { Call, Check, Evidence } from './report-types.js'
import { waitTolerance } from './tolerance.js'

/** The calls a `Retry-After` holds back: the 429's rate-limit group, or the whole API for a 503. */
function scopeOf(c: Call): { label: string; holds: (n: Call) => boolean } | undefined {
  const e = c.entry
  if (e.retryAfter === undefined || e.outcome !== 'answered') return undefined
  if (e.status === 429) {
    const group = groupOf(e)
    return { label: `group ${group}`, holds: (n) => groupOf(n.entry) === group }
  }
  if (e.status === 503) return { label: 'the API', holds: () => true }
  return undefined
}

/**
 * Honours `Retry-After`: after a 429, no call in the same rate-limit group; after a 503 (maintenance,
 * overload), no call to the API at all, until the wait asked for has elapsed (tolerance included).
 * Calls already under way when the answer went out are not held against the client.
 */
export const retryAfterCheck: Check = {
  id: 'retry-after',
  title: 'honours Retry-After after a 429 or a 503',
  rule:
    'After a 429 carrying Retry-After R (seconds) in rate-limit group G at sandbox time t, received whole by the client, no call in group G may ' +
    'arrive from the end of that answer until t + R; after a 503 carrying Retry-After R, no call to any resource of the API. ' +
    'A call arriving less than 5 % of R (at most 1 s) early is tolerated. Fails on any other such call; not exercised when ' +
    'no 429 or 503 carried Retry-After.',
  judge({ calls }) {
    const failures = new Map<string, Evidence>()
    const passes: Evidence[] = []
    let seen = 0
    calls.forEach((c, i) => {
      const scope = scopeOf(c)
      if (!scope) return
      const e = c.entry
      seen++
      const askedMs = e.retryAfter! * 1000
      const until = c.t + askedMs - waitTolerance(askedMs)
      let early = 0
      let next: Call | undefined
      for (const n of calls.slice(i + 1)) {
        if (!scope.holds(n) || n.t < c.end) continue
        if (n.t >= until) {
          next = n
          break
        }
        early++
        failures.set(
          n.entry.id,
          cite(
            n.entry,
            `called ${scope.label} ${duration(n.t - c.t)} after a ${e.status} that asked to wait ${e.retryAfter} s`,
          ),
        )
      }
      if (early === 0) {
        const after = next
          ? `the next call to ${scope.label} came ${duration(next.t - c.t)} later`
          : `no further call to ${scope.label}`
        passes.push(cite(e, `${e.status} asked to wait ${e.retryAfter} s; ${after}`))
      }
    })
    return decide({
      exercised: seen > 0,
      failures: [...failures.values()],
      passes,
      pass: `Waited out Retry-After after each of ${count(seen, '429 or 503 answer')}.`,
      fail: `${count(failures.size, 'call')} arrived before the wait a 429 or 503 asked for had elapsed.`,
      none: 'No 429 or 503 with Retry-After was answered to this client.',
    })
  },
}
