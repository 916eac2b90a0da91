import type { JournalEntry } from './journal-entry.js'

/**
 * The shape of a journal line (`journal-line.ts`): which entry fields are lists, written last from
 * cached bytes, and the JSON schema of all the others, from which their serialiser is made. Data
 * only: the bundle's build (`scripts/journal-scalars.mjs`) reads it to compile that serialiser ahead.
 */

/** Entry fields holding lists of strings, serialised after the others (see {@link toJournalLine}). */
export const LISTS = ['scopes', 'privileges', 'fields', 'withheld', 'fieldScopes'] as const
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

/** The scalar fields as one object schema, for fast-json-stringify. */
export const LINE_SCALARS = { type: 'object', properties: SCALARS } as const
