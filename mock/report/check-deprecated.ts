import { cite, count, decide } from './evidence.js'
import type { Check, Evidence } from './report-types.js'

/** Calls to deprecated operations: listed with their successor; a call after the sunset fails. */
export const deprecatedCheck: Check = {
  id: 'deprecated',
  title: 'leaves deprecated operations before their sunset',
  rule:
    'Each call to an operation the contract marks deprecated is listed with the operation to use instead. ' +
    "Fails on a call made after the operation's sunset date (on the client's sandbox clock); passes, listing " +
    'them, when every such call came before it; not exercised when the client called no deprecated operation.',
  judge({ calls }) {
    const seen = new Map<string, { evidence: Evidence; n: number; late: boolean }>()
    for (const c of calls) {
      const successor = c.entry.notes?.deprecated
      if (successor === undefined || c.entry.operation === undefined) continue
      const sunset = c.entry.notes?.sunset
      const late = typeof sunset === 'string' && c.t >= Date.parse(sunset)
      const key = `${c.entry.operation}${late ? ' late' : ''}`
      const found = seen.get(key)
      if (found) {
        found.n++
        continue
      }
      const use =
        successor === 'no successor'
          ? 'the contract names no successor'
          : `use ${String(successor)}`
      seen.set(key, {
        n: 1,
        late,
        evidence: cite(
          c.entry,
          late
            ? `${c.entry.operation} called after its sunset (${String(sunset)}): ${use}`
            : `${c.entry.operation} is deprecated: ${use}`,
        ),
      })
    }
    const cited = (s: { evidence: Evidence; n: number }): Evidence => ({
      ...s.evidence,
      note: `${s.evidence.note} (${count(s.n, 'call')})`,
    })
    const all = [...seen.values()]
    const failures = all.filter((s) => s.late).map(cited)
    const passes = all.filter((s) => !s.late).map(cited)
    return decide({
      exercised: all.length > 0,
      failures,
      passes,
      pass: `Called ${count(passes.length, 'deprecated operation')} before its sunset; each is cited with its successor.`,
      fail: `Called ${count(failures.length, 'deprecated operation')} after its sunset.`,
      none: 'Called no deprecated operation.',
    })
  },
}
