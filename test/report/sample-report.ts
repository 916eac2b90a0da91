import { loadContract } from '../../mock/contract/load-contract.js'
import { createJournal } from '../../mock/journal/journal.js'
import type { JournalEntry } from '../../mock/journal/journal-entry.js'
import { createMemoryJournalBackend } from '../../mock/journal/memory-backend.js'
import { DEFAULTS } from '../../mock/options.js'
import { buildReport, type Report } from '../../mock/report/build-report.js'

/** Judges hand-built entries of client `acme` against the bundled contract. */
export async function reportOf(entries: JournalEntry[]): Promise<Report> {
  const journal = createJournal(createMemoryJournalBackend(10_000), {
    bufferEntries: 1000,
    retentionDays: 36500,
    now: Date.now,
    log: () => undefined,
  })
  // The journal gives ids of its own; the hand-built ones are dropped.
  for (const e of entries) journal.record({ ...e, id: undefined } as Omit<JournalEntry, 'id'>)
  const contract = await loadContract(DEFAULTS.contract)
  const report = await buildReport(
    { journal, contract, delayFactor: 1, now: () => Date.UTC(2025, 0, 6, 12) },
    { clientId: 'acme' },
  )
  await journal.close()
  return report
}
