import { cite, count, decide } from './evidence.js'
import type { Check, Evidence } from './report-types.js'

/** The client calls no deprecated operation. */
export const deprecatedCheck: Check = {
  id: 'deprecated',
  title: 'calls no deprecated operation',
  rule:
    'No call may go to an operation the contract marks deprecated (answered with a Deprecation header, and ' +
    '410 Gone after its sunset when the operator enforces it). Fails listing each deprecated operation called ' +
    'and the operation to use instead; not exercised when the client made no call.',
  judge({ calls }) {
    const seen = new Map<string, { evidence: Evidence; n: number }>()
    for (const c of calls) {
      const successor = c.entry.notes?.deprecated
      if (successor === undefined || c.entry.operation === undefined) continue
      const found = seen.get(c.entry.operation)
      if (found) found.n++
      else
        seen.set(c.entry.operation, {
          n: 1,
          evidence: cite(
            c.entry,
            successor === 'no successor'
              ? `${c.entry.operation} is deprecated (the contract names no successor)`
              : `${c.entry.operation} is deprecated: use ${String(successor)}`,
          ),
        })
    }
    const failures = [...seen.values()].map((s) => ({
      ...s.evidence,
      note: `${s.evidence.note} (${count(s.n, 'call')})`,
    }))
    return decide({
      exercised: calls.length > 0,
      failures,
      passes: [],
      pass: 'Called no deprecated operation.',
      fail: `Called ${count(failures.length, 'deprecated operation')}; each cited with its successor.`,
      none: 'The client made no call.',
    })
  },
}
