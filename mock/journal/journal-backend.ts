import type { JournalEntry } from './journal-entry.js'
import type { JournalBatch } from './journal-batch.js'

/**
 * Which entries a query or an export wants. Every field is optional; given fields must all match.
 * Times are real time, ms since the epoch, on the entry's arrival (`at`).
 */
export interface JournalFilter {
  clientId?: string
  operation?: string
  /** The API of the operation (a sandbox serving several). */
  api?: string
  /** Statuses wanted: exact codes, classes (`4` for 4xx) or `'none'` (no status sent). Any of them. */
  status?: StatusMatch[]
  kind?: JournalEntry['kind']
  /** Arrival at or after, ms. */
  from?: number
  /** Arrival strictly before, ms. */
  to?: number
}

/** One accepted status: `{ code: 429 }`, `{ class: 5 }` (5xx) or `'none'`. */
export type StatusMatch = { code: number } | { class: number } | 'none'

/** One page of a query. */
export interface JournalPage {
  entries: JournalEntry[]
  /** Opaque cursor of the next page, `undefined` on the last one. */
  next?: string
}

/**
 * Where journal entries are kept. The embedded backends are a memory ring (state `'memory'`) and JSONL
 * files (a state file); a Redis backend implements the same five methods over a Redis stream.
 *
 * Rules every backend follows:
 * - entries come back in the order they were appended (the writer appends in recording order);
 * - a cursor is opaque to callers, stable while the entries it points past still exist, and a
 *   cursor pointing past pruned entries resumes at the oldest entry left;
 * - `append` is only called by one writer at a time (the writer serialises its batches).
 */
export interface JournalBackend {
  /** `'memory'`, `'file'` or `'redis'`. */
  readonly kind: string
  /**
   * Appends a batch of serialised entries, in order; never rewrites what is already stored. The
   * batch's bytes may be reused once the returned promise settles: a backend copies what it keeps.
   */
  append(batch: JournalBatch): Promise<void>
  /** Up to `limit` entries matching `filter` after `cursor` (from the oldest when absent). */
  query(filter: JournalFilter, limit: number, cursor?: string): Promise<JournalPage>
  /** Every entry matching `filter`, oldest first, read lazily (exports, reports). */
  stream(filter: JournalFilter): AsyncIterable<JournalEntry>
  /**
   * The newest `limit` entries matching `filter`, newest first, read from the newest end and no
   * further than needed (a page showing the latest entries). With `after` (an entry id), only entries
   * recorded after it: the read stops at the first entry, of any client, whose id is not above it.
   */
  latest(filter: JournalFilter, limit: number, after?: string): Promise<JournalEntry[]>
  /**
   * Removes entries that arrived before `beforeMs` (real time). A backend may keep a few older ones
   * when they share a unit of storage with younger ones (a file, a stream chunk); queries still hide them.
   */
  prune(beforeMs: number): Promise<void>
  /** Releases files or connections; pending appends are complete when it resolves. */
  close(): Promise<void>
}

/** True when an entry matches a filter (shared by every backend, so they agree on the meaning). */
export function matchesFilter(entry: JournalEntry, filter: JournalFilter): boolean {
  if (filter.clientId !== undefined && entry.clientId !== filter.clientId) return false
  if (filter.operation !== undefined && entry.operation !== filter.operation) return false
  if (filter.api !== undefined && entry.api !== filter.api) return false
  if (filter.kind !== undefined && entry.kind !== filter.kind) return false
  if (filter.status && !filter.status.some((s) => statusMatches(entry.status, s))) return false
  if (filter.from !== undefined || filter.to !== undefined) {
    const at = Date.parse(entry.at)
    if (filter.from !== undefined && at < filter.from) return false
    if (filter.to !== undefined && at >= filter.to) return false
  }
  return true
}

function statusMatches(status: number | undefined, match: StatusMatch): boolean {
  if (match === 'none') return status === undefined
  if (status === undefined) return false
  return 'code' in match ? status === match.code : Math.floor(status / 100) === match.class
}

/**
 * A cheap test before parsing a stored line: false only when the line cannot be an entry of
 * `filter.clientId` (client ids are letters, digits, ".", "_" and "-", written without escapes).
 */
export function mayBeClients(line: string, filter: JournalFilter): boolean {
  const id = filter.clientId
  return id === undefined || !/^[\w.-]+$/.test(id) || line.includes(`"clientId":"${id}"`)
}
