import type { JournalEntry } from '../../mock/journal/journal-entry.js'
import type { Check, ContractFacts, JudgeInput } from '../../mock/report/report-types.js'

/** Contract facts for hand-built entries: every operation traceable, documents by name. */
export const FACTS: ContractFacts = {
  traceable: (id) => id !== 'api_entreprise_privileges',
  objectMaxLength: () => 50,
  isDocument: (id, group) => group === 'documents' || (id ?? '').includes('attestation'),
}

/** Runs one check on entries (API and token entries mixed, any order). */
export function judge(
  check: Check,
  entries: JournalEntry[],
  timeScale = 1,
): ReturnType<Check['judge']> {
  const calls = entries
    .filter((e) => e.kind === 'api')
    .map((entry) => {
      const t = Date.parse(entry.sandboxAt)
      return { entry, t, end: t + entry.latencyMs }
    })
    .sort((a, b) => a.t - b.t)
  const tokens = entries
    .filter((e) => e.kind === 'token')
    .sort((a, b) => Date.parse(a.sandboxAt) - Date.parse(b.sandboxAt))
  const input: JudgeInput = { clientId: 'acme', calls, tokens, contract: FACTS, timeScale }
  return check.judge(input)
}
