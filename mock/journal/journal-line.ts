import type { JournalEntry } from './journal-entry.js'
import { LISTS } from './line-schema.js'
import { compileScalarsJson } from './scalars-json.js'

/**
 * A journal entry as it is buffered and stored: serialised once, when it is recorded, with its client
 * id beside it for the commonest filter. An entry object dies young (a cheap scavenge) instead of
 * waiting in the buffer until the next flush and being copied into the old generation.
 */
export interface JournalLine {
  readonly clientId: string | undefined
  /** The entry as one line of JSON (no newline). */
  readonly json: string
}

/**
 * Made once, on the first line: a serialiser of the scalar fields only (`line-schema.ts`), so the
 * lists are left out without copying the entry, and the sandbox's own strings are copied without
 * escaping.
 */
let scalarsJson: ((entry: JournalEntry) => string) | undefined

/** `,"name":` of each list field, in UTF-8, in the order of {@link LISTS}; then without the comma. */
const LIST_KEYS = LISTS.map((key) => Buffer.from(`,"${key}":`))
const FIRST_KEYS = LISTS.map((key) => Buffer.from(`"${key}":`))

/**
 * UTF-8 JSON of the frozen lists seen so far, by identity. A frozen array cannot change, so its JSON
 * never goes stale; the scope stage hands out one frozen field list per body and scopes, which makes
 * the delivered fields (about half of an entry) cost a lookup and a copy of bytes instead of a
 * serialisation and an encoding per request.
 */
const listBytes = new WeakMap<readonly string[], Buffer>()

/** A list's JSON: its cached bytes when it is frozen, else its text as it is now. */
function jsonOfList(list: readonly string[]): Buffer | string {
  if (!Object.isFrozen(list)) return JSON.stringify(list)
  let bytes = listBytes.get(list)
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(list))
    listBytes.set(list, bytes)
  }
  return bytes
}

/** The lists of the entry being written (one at a time: writing never yields). */
const pieces: Array<Buffer | string | undefined> = LISTS.map(() => undefined)

/**
 * Writes an entry as one JSON line, ended by `\n`, in UTF-8: the same object as
 * `JSON.stringify(entry)` gives (fields in a fixed order, lists last, `undefined` fields left out).
 * `room(bytes)` returns a buffer with at least that many bytes free from `at`; returns where the line
 * ends. The scalars are serialised, the lists' cached bytes copied: no intermediate text is built.
 */
export function writeJournalLine(
  entry: JournalEntry,
  at: number,
  room: (bytes: number) => Buffer,
): number {
  scalarsJson ??= compileScalarsJson()
  const head = scalarsJson(entry)
  // UTF-8 takes at most 3 bytes per UTF-16 unit; then the newline.
  let worst = head.length * 3 + 1
  for (let i = 0; i < LISTS.length; i++) {
    const list = entry[LISTS[i]!]
    if (list === undefined) continue
    const piece = jsonOfList(list)
    pieces[i] = piece
    worst += LIST_KEYS[i]!.length + (typeof piece === 'string' ? piece.length * 3 : piece.length)
  }
  const bytes = room(worst)
  // The scalars' closing brace is written again after the lists.
  let end = at + bytes.write(head, at) - 1
  for (let i = 0; i < LISTS.length; i++) {
    const piece = pieces[i]
    if (piece === undefined) continue
    pieces[i] = undefined
    // No comma right after the opening brace (an entry of lists only). Bytes are copied with
    // `set`, which makes no view per copy as `Buffer#copy` does.
    const key = (end === at + 1 ? FIRST_KEYS : LIST_KEYS)[i]!
    bytes.set(key, end)
    end += key.length
    if (typeof piece === 'string') end += bytes.write(piece, end)
    else {
      bytes.set(piece, end)
      end += piece.length
    }
  }
  bytes[end++] = 0x7d // }
  bytes[end++] = 0x0a // \n
  return end
}

/** Serialises an entry into a {@link JournalLine} (tests, tools): {@link writeJournalLine}'s text. */
export function toJournalLine(entry: JournalEntry): JournalLine {
  let bytes: Buffer | undefined
  const end = writeJournalLine(entry, 0, (worst) => (bytes = Buffer.allocUnsafe(worst)))
  return { clientId: entry.clientId, json: bytes!.toString('utf8', 0, end - 1) }
}
