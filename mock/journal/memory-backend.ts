import {
  matchesFilter,
  type JournalBackend,
  type JournalFilter,
  type JournalPage,
} from './journal-backend.js'
import type { JournalEntry } from './journal-entry.js'

/**
 * The journal of a sandbox whose state lives in memory: a ring of the last `capacity` entries. When
 * it is full, the oldest entry makes room for the newest. Cursors are sequence numbers.
 */
export function createMemoryJournalBackend(capacity: number): JournalBackend {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`a memory journal needs a capacity of at least 1 entry, got ${capacity}`)
  }
  const ring: Array<JournalEntry | undefined> = new Array<JournalEntry | undefined>(capacity)
  let head = 0 // slot of the oldest entry
  let count = 0
  let nextSeq = 0 // sequence number the next appended entry gets

  const oldestSeq = (): number => nextSeq - count
  const at = (seq: number): JournalEntry => ring[(head + (seq - oldestSeq())) % capacity]!

  const drop = (n: number): void => {
    for (let i = 0; i < n; i++) ring[(head + i) % capacity] = undefined
    head = (head + n) % capacity
    count -= n
  }

  function* from(seq: number): Generator<[number, JournalEntry]> {
    for (let s = Math.max(seq, oldestSeq()); s < nextSeq; s++) yield [s, at(s)]
  }

  return {
    kind: 'memory',
    append: async (entries) => {
      for (const entry of entries) {
        if (count === capacity) drop(1)
        ring[(head + count) % capacity] = entry
        count++
        nextSeq++
      }
    },
    query: async (filter, limit, cursor) => {
      const page: JournalPage = { entries: [] }
      for (const [seq, entry] of from(parseCursor(cursor))) {
        if (!matchesFilter(entry, filter)) continue
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
      const snapshot = [...from(0)].map(([, e]) => e)
      return (async function* () {
        for (const entry of snapshot) if (matchesFilter(entry, filter)) yield entry
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
