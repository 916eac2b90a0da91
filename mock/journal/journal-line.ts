import fastJson from 'fast-json-stringify'
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

/** Entry fields holding lists of strings, serialised after the others (see {@link toJournalLine}). */
const LISTS = ['scopes', 'privileges', 'fields', 'withheld', 'fieldScopes'] as const
type ListKey = (typeof LISTS)[number]

const str = { type: 'string' } as const
/**
 * Strings the sandbox writes itself and that never need escaping (ISO times, base-36 ids, fixed
 * words, HTTP methods, which Node's parser limits to token characters): copied as they are.
 */
const ours = { type: 'string', format: 'unsafe' } as const
const num = { type: 'number' } as const
const bool = { type: 'boolean' } as const

/**
 * Schema of every other entry field, in the order lines show them. Typed against `JournalEntry`: a
 * field added there and forgotten here is a type error, never a field silently left out of lines.
 */
const SCALARS: Record<Exclude<keyof JournalEntry, ListKey>, object> = {
  id: ours,
  kind: ours,
  at: ours,
  sandboxAt: ours,
  clientId: str,
  jti: str,
  authMode: ours,
  tokenExpiresAt: ours,
  singleUse: bool,
  ip: str,
  method: ours,
  path: str,
  operation: str,
  api: str,
  rateGroup: str,
  ref: { type: 'object', additionalProperties: str },
  context: str,
  recipient: str,
  object: str,
  status: num,
  code: str,
  scenario: str,
  retryAfter: num,
  retryIn: num,
  outcome: ours,
  banned: bool,
  banUntil: ours,
  stalled: bool,
  latencyMs: num,
  bytes: num,
  clientClosed: bool,
  clientClosedAfterMs: num,
  origin: str,
  notes: { type: 'object', additionalProperties: true },
}

/**
 * Compiled once, on the first line: a serialiser of the fields above only, so the lists are left out
 * without copying the entry, and the sandbox's own strings are copied without escaping.
 */
let scalarsJson: ((entry: JournalEntry) => string) | undefined

/**
 * JSON of the frozen lists seen so far, by identity. A frozen array cannot change, so its JSON never
 * goes stale; the scope stage hands out one frozen field list per body and scopes, which makes the
 * delivered fields (about half of an entry) cost a lookup instead of a serialisation per request.
 */
const listJson = new WeakMap<readonly string[], string>()

function jsonOfList(list: readonly string[]): string {
  if (!Object.isFrozen(list)) return JSON.stringify(list)
  let json = listJson.get(list)
  if (json === undefined) {
    json = JSON.stringify(list)
    listJson.set(list, json)
  }
  return json
}

/**
 * Serialises an entry into a {@link JournalLine}: the same object as `JSON.stringify(entry)` gives
 * (fields in a fixed order, lists last, `undefined` fields left out).
 */
export function toJournalLine(entry: JournalEntry): JournalLine {
  scalarsJson ??= fastJson({ type: 'object', properties: SCALARS })
  let json = scalarsJson(entry)
  let tail = ''
  for (const key of LISTS) {
    const list = entry[key]
    if (list !== undefined) tail += `,"${key}":${jsonOfList(list)}`
  }
  if (tail !== '') json = json.length === 2 ? `{${tail.slice(1)}}` : `${json.slice(0, -1)}${tail}}`
  return { clientId: entry.clientId, json }
}
