import type { JournalEntry } from '../../mock/journal/journal-entry.js'
import { toJournalLine, type JournalLine } from '../../mock/journal/journal-line.js'

let counter = 0

/** A journal entry for tests: an answered API call at `at` (ms, also its sandbox time), overridable. */
export function makeEntry(overrides: Partial<JournalEntry> & { t?: number } = {}): JournalEntry {
  const { t = Date.UTC(2025, 0, 6, 9), ...rest } = overrides
  counter++
  return {
    id: `e${String(counter).padStart(6, '0')}`,
    kind: 'api',
    at: new Date(t).toISOString(),
    sandboxAt: new Date(t).toISOString(),
    clientId: 'acme',
    ip: '127.0.0.1',
    method: 'GET',
    path: '/v3/insee/sirene/unites_legales/418166096',
    operation: 'api_entreprise_v3_insee_unites_legales',
    status: 200,
    outcome: 'answered',
    latencyMs: 3,
    bytes: 512,
    clientClosed: false,
    ...rest,
  }
}

/** {@link makeEntry} serialised as the writer hands it to a backend. */
export const makeLine = (overrides: Partial<JournalEntry> & { t?: number } = {}): JournalLine =>
  toJournalLine(makeEntry(overrides))
