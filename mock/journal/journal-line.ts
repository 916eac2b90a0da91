import type { JournalEntry } from './journal-entry.js'

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

/** Entry fields holding lists that stages hand out as shared, frozen arrays. */
const LISTS = ['scopes', 'privileges', 'fields', 'withheld', 'fieldScopes'] as const

/**
 * JSON of the frozen lists seen so far, by identity. A frozen array cannot change, so its JSON never
 * goes stale; the scope stage hands out one frozen field list per body and scopes, which makes the
 * delivered fields (about half of an entry) cost a lookup instead of a serialisation per request.
 */
const listJson = new WeakMap<readonly string[], string>()

function jsonOfList(list: readonly string[]): string {
  let json = listJson.get(list)
  if (json === undefined) {
    json = JSON.stringify(list)
    listJson.set(list, json)
  }
  return json
}

/**
 * Serialises an entry into a {@link JournalLine}: exactly `JSON.stringify(entry)`, except that frozen
 * lists are spliced in from their cached JSON (after the other fields; key order carries no meaning).
 */
export function toJournalLine(entry: JournalEntry): JournalLine {
  let head: Record<string, unknown> = entry as unknown as Record<string, unknown>
  let tail = ''
  for (const key of LISTS) {
    const list = entry[key]
    if (list === undefined || !Object.isFrozen(list)) continue
    if (head === (entry as unknown)) head = { ...entry }
    head[key] = undefined // JSON.stringify leaves `undefined` out
    tail += `,"${key}":${jsonOfList(list)}`
  }
  const json = JSON.stringify(head)
  return { clientId: entry.clientId, json: tail === '' ? json : `${json.slice(0, -1)}${tail}}` }
}

/** The entry a line holds. */
export const fromJournalLine = (line: JournalLine): JournalEntry =>
  JSON.parse(line.json) as JournalEntry
