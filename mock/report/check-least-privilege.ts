import { cite, count, decide } from './evidence.js'
import { minimise } from './minimisation.js'
import type { Check, Evidence } from './report-types.js'

/** Asks for the least privilege: every privilege its tokens carried served a call or a field. */
export const leastPrivilegeCheck: Check = {
  id: 'least-privilege',
  title: 'least privilege: its tokens carried only the privileges its calls needed',
  rule:
    "Every privilege the client's credentials carried during the run either authorised one of its calls (one of the " +
    'privileges the operation requires) or let a delivered field through (a field scope). Fails listing each privilege ' +
    'carried but never needed; not exercised when no credential carrying privileges was used.',
  judge({ calls, tokens }) {
    const m = minimise(calls, tokens, () => [])
    const carriers = [...tokens, ...calls.map((c) => c.entry)]
    const failures: Evidence[] = []
    for (const privilege of m.unused) {
      const first = carriers.find((e) => e.scopes?.includes(privilege))
      if (first) failures.push(cite(first, `carried ${privilege}, which no call needed`))
    }
    const first = carriers.find((e) => (e.scopes?.length ?? 0) > 0)
    return decide({
      exercised: m.carried.length > 0 && calls.some((c) => c.entry.scopes !== undefined),
      failures,
      passes: first ? [cite(first, `carried ${m.carried.join(', ')}; all needed`)] : [],
      pass: `Carried ${count(m.carried.length, 'privilege')}, each needed: ${m.carried.join(', ')}.`,
      fail: `Carried ${count(m.unused.length, 'privilege')} no call needed: ${m.unused.join(', ')} (needed: ${m.needed.join(', ') || 'none'}).`,
      none: 'No credential carrying privileges was used.',
    })
  },
}
