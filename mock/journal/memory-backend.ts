import {
  matchesFilter,
  type JournalBackend,
  type JournalFilter,
  type JournalPage,
} from './journal-backend.js'
import type { JournalEntry } from './journal-entry.js'
import { fromJournalLine, type JournalLine } from './journal-line.js'

/**
 * The journal of a sandbox whose state lives in memory: a ring of the last `capacity` entries. When
 * it is full, the oldest entry makes room for the newest. Cursors are sequence numbers. Entries are
 * kept as the serialised lines the writer hands over: a ring of 100,000 entries held as object graphs
 * would cost every full garbage collection a walk over millions of fields; as strings, one mark each.
 */
export function createMemoryJournalBackend(capacity: number): JournalBackend {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`a memory journal needs a capacity of at least 1 entry, got ${capacity}`)
  }
  const ring: Array<JournalLine | undefined> = new Array<JournalLine | undefined>(capacity)
  let head = 0 // slot of the oldest entry
  let count = 0
  let nextSeq = 0 // sequence number the next appended entry gets

  const oldestSeq = (): number => nextSeq - count
  const keptAt = (seq: number): JournalLine => ring[(head + (seq - oldestSeq())) % capacity]!
  const at = (seq: number): JournalEntry => fromJournalLine(keptAt(seq))
  /** The entries from `seq` on that may match: a client filter is checked before parsing. */
  function* matching(seq: number, filter: JournalFilter): Generator<[number, JournalEntry]> {
    for (let s = Math.max(seq, oldestSeq()); s < nextSeq; s++) {
      const kept = keptAt(s)
      if (filter.clientId !== undefined && kept.clientId !== filter.clientId) continue
      const entry = fromJournalLine(kept)
      if (matchesFilter(entry, filter)) yield [s, entry]
    }
  }

  const drop = (n: number): void => {
    for (let i = 0; i < n; i++) ring[(head + i) % capacity] = undefined
    head = (head + n) % capacity
    count -= n
  }

  return {
    kind: 'memory',
    append: async (lines) => {
      for (const line of lines) {
        if (count === capacity) drop(1)
        ring[(head + count) % capacity] = line
        count++
        nextSeq++
      }
    },
    query: async (filter, limit, cursor) => {
      const page: JournalPage = { entries: [] }
      for (const [seq, entry] of matching(parseCursor(cursor), filter)) {
        if (page.entries.length === limit) {
          page.next = String(seq)
          break
        }
        page.entries.push(entry)
      }
      return page
    },
    stream: (filter: JournalFilter) => {
      // A snapshot of the ring's current contents, so that appends during an export do not shift it.
      const snapshot = [...matching(0, filter)].map(([, e]) => e)
      return (async function* () {
        yield* snapshot
      })()
    },
    prune: async (beforeMs) => {
      let n = 0
      while (n < count && Date.parse(at(oldestSeq() + n).at) < beforeMs) n++
      drop(n)
    },
    close: async () => undefined,
  }
}

/** A cursor is the sequence number of the next entry to return; anything else starts from the oldest. */
function parseCursor(cursor: string | undefined): number {
  const n = cursor === undefined ? 0 : Number(cursor)
  return Number.isSafeInteger(n) && n >= 0 ? n : 0
}
