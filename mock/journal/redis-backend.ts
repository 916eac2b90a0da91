import { createRedisStore, type RedisStore } from '../store/redis-store.js'
import { openRedisStream, type RedisStream } from '../store/redis-stream.js'
import { lineText } from './journal-batch.js'
import { matchesFilter, type JournalBackend, type JournalPage } from './journal-backend.js'
import type { JournalEntry } from './journal-entry.js'
import { DEFAULTS } from '../options.js'

/** Options of {@link createRedisJournalBackend}. */
export interface RedisJournalOptions {
  /** Entries the stream keeps, approximately (`MAXLEN ~`), across every client. Default `DEFAULTS.journal.memoryEntries`. */
  maxEntries?: number
  /** Age past which entries are trimmed on append, by the Redis server's clock, ms. Default `0`: none. */
  maxAgeMs?: number
  /** Entries read per round-trip while scanning. Default `DEFAULTS.tuning.journalPageEntries`. */
  pageEntries?: number
  /** Close `store` when the backend closes (it opened its own connection). Default `false`. */
  ownsStore?: boolean
}

/** Name of the journal's stream in the global scope: key `sx:_:journal`. */
export const JOURNAL_STREAM = 'journal'

/** A stream id, the only cursor this backend gives; anything else starts from the oldest entry. */
const STREAM_ID = /^\d{1,20}-\d{1,20}$/

/**
 * The journal of sandboxes whose state is in Redis: one stream shared by every replica, so a query
 * or a verdict on any replica sees the calls made on all of them. Appends from all replicas land in
 * one order (Redis's); the stream is trimmed by length and by age on every append, and expires as a
 * whole when nothing was appended for `maxAgeMs` (all its entries are then past retention anyway).
 *
 * Filters are applied while scanning, never by stream-id time: ids carry the Redis server's clock,
 * and a sandbox's `now` may not be real time. For the same reason `prune` removes nothing: trimming
 * by age happens on append, on Redis's clock, and the journal hides what retention excludes.
 */
export function createRedisJournalBackend(
  store: RedisStore,
  options: RedisJournalOptions = {},
): JournalBackend {
  const stream: RedisStream<JournalEntry> = openRedisStream<JournalEntry>(store, JOURNAL_STREAM, {
    maxLen: options.maxEntries ?? DEFAULTS.journal.memoryEntries,
    maxAgeMs: options.maxAgeMs ?? 0,
    ...(options.maxAgeMs ? { ttlMs: Math.max(options.maxAgeMs, 60_000) } : {}),
  })
  const chunk = options.pageEntries ?? DEFAULTS.tuning.journalPageEntries

  /** Entries after `after` (exclusive; from the oldest when absent), up to `to` (inclusive). */
  async function* scan(after?: string, to?: string): AsyncGenerator<[string, JournalEntry]> {
    for (;;) {
      const rows = await stream.range({
        ...(after !== undefined ? { after } : {}),
        ...(to !== undefined ? { to } : {}),
        count: chunk,
      })
      for (const row of rows) yield [row.id, row.value]
      if (rows.length < chunk) return
      after = rows.at(-1)!.id
    }
  }

  return {
    kind: 'redis',
    append: async (batch) => {
      await stream.appendSerialised(
        Array.from({ length: batch.length }, (_, i) => lineText(batch, i)),
      )
    },
    query: async (filter, limit, cursor) => {
      const start = cursor !== undefined && STREAM_ID.test(cursor) ? cursor : undefined
      const page: JournalPage = { entries: [] }
      // The cursor names the last entry looked at before the first one not returned.
      let previous = start ?? '0-0'
      for await (const [id, entry] of scan(start)) {
        if (matchesFilter(entry, filter)) {
          if (page.entries.length >= limit) {
            page.next = previous
            break
          }
          page.entries.push(entry)
        }
        previous = id
      }
      return page
    },
    stream: (filter) =>
      (async function* () {
        // A snapshot: entries appended during the read (an export, a verdict) are left out.
        const last = (await stream.range({ reverse: true, count: 1 }))[0]?.id
        if (last === undefined) return
        for await (const [, entry] of scan(undefined, last))
          if (matchesFilter(entry, filter)) yield entry
      })(),
    latest: async (filter, limit, after) => {
      const out: JournalEntry[] = []
      let before: string | undefined
      for (;;) {
        const rows = await stream.range({
          reverse: true,
          count: chunk,
          ...(before !== undefined ? { after: before } : {}),
        })
        for (const row of rows) {
          // Replicas' ids sort by their clocks: the read stops at the first one not after `after`.
          if (after !== undefined && row.value.id <= after) return out
          if (!matchesFilter(row.value, filter)) continue
          out.push(row.value)
          if (out.length === limit) return out
        }
        if (rows.length < chunk) return out
        before = rows.at(-1)!.id
      }
    },
    prune: async () => undefined,
    close: async () => {
      if (options.ownsStore) await store.close()
    },
  }
}

/** Options of {@link openRedisJournalBackend}. */
export interface OpenRedisJournalOptions extends RedisJournalOptions {
  /** `redis://host:port/db`, the `--state` of the sandbox. */
  url: string
}

/**
 * Opens the Redis journal on a connection of its own, closed with the backend: a verdict reading the
 * whole stream never queues behind, or in front of, the request path's store commands. Outages are
 * not logged here: the state store, on the same Redis, already reports them.
 */
export async function openRedisJournalBackend(
  options: OpenRedisJournalOptions,
): Promise<JournalBackend> {
  const { url, ...rest } = options
  return createRedisJournalBackend(await createRedisStore({ url }), { ...rest, ownsStore: true })
}
