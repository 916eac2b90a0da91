import {
  matchesFilter,
  type JournalBackend,
  type JournalFilter,
  type JournalPage,
} from './journal-backend.js'
import type { JournalEntry } from './journal-entry.js'
import { lineRange, type JournalBatch } from './journal-batch.js'

/** Bytes of one block of kept lines. */
const BLOCK_BYTES = 1 << 20

/** A block of UTF-8 lines, outside the JavaScript heap; freed once no kept entry points into it. */
interface Block {
  bytes: Buffer
  used: number
}

/**
 * The journal of a sandbox whose state lives in memory: a ring of the last `capacity` entries, whose
 * lines take at most `maxBytes` in all. When either is reached, the oldest entries make room for the
 * newest. Cursors are sequence numbers.
 *
 * Lines are copied, as the UTF-8 the writer encoded them in, into 1 MiB blocks outside the JavaScript heap, and the ring holds where
 * each one is: 100,000 entries kept as strings would grow the heap by some 150 MB that every full
 * garbage collection walks and moves, and that makes those collections more frequent; as blocks, the
 * heap holds a few hundred objects whatever the journal's length.
 */
export function createMemoryJournalBackend(
  capacity: number,
  maxBytes: number = Number.MAX_SAFE_INTEGER,
): JournalBackend {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`a memory journal needs a capacity of at least 1 entry, got ${capacity}`)
  }
  if (!Number.isFinite(maxBytes) || maxBytes < 1) {
    throw new RangeError(`a memory journal needs at least 1 byte, got ${maxBytes}`)
  }
  const blockOf: Array<Block | undefined> = new Array<Block | undefined>(capacity)
  const startOf = new Int32Array(capacity)
  const lengthOf = new Int32Array(capacity)
  const clientOf: Array<string | undefined> = new Array<string | undefined>(capacity)
  let block: Block = { bytes: Buffer.allocUnsafeSlow(BLOCK_BYTES), used: 0 }
  let head = 0 // slot of the oldest entry
  let count = 0
  let nextSeq = 0 // sequence number the next appended entry gets
  let bytes = 0 // UTF-8 bytes of the kept lines

  const oldestSeq = (): number => nextSeq - count
  const slotOf = (seq: number): number => (head + (seq - oldestSeq())) % capacity
  const entryIn = (slot: number): JournalEntry => {
    const start = startOf[slot]!
    const text = blockOf[slot]!.bytes.toString('utf8', start, start + lengthOf[slot]!)
    return JSON.parse(text) as JournalEntry
  }
  const at = (seq: number): JournalEntry => entryIn(slotOf(seq))
  /** The id of the entry in a slot, read without parsing the line (`{"id":"...",` opens every line). */
  const idIn = (slot: number): string => {
    const start = startOf[slot]!
    const bytes = blockOf[slot]!.bytes
    if (bytes.toString('latin1', start, start + 7) !== '{"id":"') return entryIn(slot).id
    return bytes.toString('latin1', start + 7, bytes.indexOf(0x22, start + 7))
  }
  /** The entries from `seq` on that may match: a client filter is checked before parsing. */
  function* matching(seq: number, filter: JournalFilter): Generator<[number, JournalEntry]> {
    for (let s = Math.max(seq, oldestSeq()); s < nextSeq; s++) {
      const slot = slotOf(s)
      if (filter.clientId !== undefined && clientOf[slot] !== filter.clientId) continue
      const entry = entryIn(slot)
      if (matchesFilter(entry, filter)) yield [s, entry]
    }
  }

  /** Copies line `i` of a batch into the current block (a new one when it is full). */
  const store = (batch: JournalBatch, i: number, slot: number): void => {
    const [start, end] = lineRange(batch, i)
    const size = end - start
    if (block.used + size > block.bytes.length)
      block = { bytes: Buffer.allocUnsafeSlow(Math.max(BLOCK_BYTES, size)), used: 0 }
    batch.bytes.copy(block.bytes, block.used, start, end)
    blockOf[slot] = block
    startOf[slot] = block.used
    lengthOf[slot] = size
    clientOf[slot] = batch.clientIds[i]
    block.used += size
    bytes += size
  }

  const drop = (n: number): void => {
    for (let i = 0; i < n; i++) {
      const slot = (head + i) % capacity
      bytes -= lengthOf[slot]!
      blockOf[slot] = undefined
      clientOf[slot] = undefined
    }
    head = (head + n) % capacity
    count -= n
  }

  return {
    kind: 'memory',
    append: async (batch) => {
      for (let i = 0; i < batch.length; i++) {
        const [start, end] = lineRange(batch, i)
        // Bounded in entries and in bytes: long lines (long paths, many fields) make room sooner.
        while (count > 0 && (count === capacity || bytes + (end - start) > maxBytes)) drop(1)
        store(batch, i, (head + count) % capacity)
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
    latest: async (filter, limit, after) => {
      const out: JournalEntry[] = []
      for (let s = nextSeq - 1; s >= oldestSeq() && out.length < limit; s--) {
        const slot = slotOf(s)
        if (after !== undefined && idIn(slot) <= after) break
        if (filter.clientId !== undefined && clientOf[slot] !== filter.clientId) continue
        const entry = entryIn(slot)
        if (matchesFilter(entry, filter)) out.push(entry)
      }
      return out
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
