import { cite, count, decide } from './evidence.js'
import type { Check, Evidence } from './report-types.js'
import { tokensSeen } from './tokens-seen.js'

/** Never reuses a single-use token. */
export const singleUseCheck: Check = {
  id: 'single-use',
  title: 'never reuses a single-use token',
  rule:
    'A single-use access token (issued with single_use, or consumed by a call) may be presented on one API call only. ' +
    'Fails on any second presentation; not exercised when no single-use token was presented.',
  judge({ tokens, calls }) {
    const single = tokensSeen(tokens, calls).filter((t) => t.singleUse && t.uses.length > 0)
    const failures: Evidence[] = []
    const passes: Evidence[] = []
    for (const token of single) {
      const [first, ...again] = token.uses
      if (again.length === 0) passes.push(cite(first!.entry, 'single-use token presented once'))
      for (const c of again)
        failures.push(
          cite(
            c.entry,
            `single-use token ${token.jti} presented again (use ${token.uses.indexOf(c) + 1})`,
          ),
        )
    }
    return decide({
      exercised: single.length > 0,
      failures,
      passes,
      pass: `Each of ${count(single.length, 'single-use token')} was presented once.`,
      fail: `${count(failures.length, 'call')} presented a single-use token already used.`,
      none: 'No single-use token was presented.',
    })
  },
}
