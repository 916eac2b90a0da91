import type { RedisStore } from './redis-store.js'
import { DEFAULTS } from '../options.js'

/** Options of {@link openRedisStream}. */
export interface RedisStreamOptions {
  /** Owner of the stream: a client's scope (removed by its `clear()`), or the global scope when absent. */
  clientId?: string
  /** Length the stream is trimmed to, approximately (`MAXLEN ~`: whole blocks of ~100 entries). Default `DEFAULTS.tuning.redisStreamEntries`; `0`: no limit. */
  maxLen?: number
  /** Age past which entries are trimmed (`MINID ~`, by the Redis server's clock), ms. Default `0`: no limit. */
  maxAgeMs?: number
  /** TTL of the whole stream, renewed by every append, ms. Default: the store's `defaultTtlMs` (30 days). */
  ttlMs?: number
}

/** One entry read back. */
export interface StreamEntry<T> {
  /** Redis entry id, `<ms>-<seq>`; ids only grow. */
  id: string
  /** Real time (Redis server clock) of the append, ms: the id's first part. */
  at: number
  value: T
}

/** A range query. Bounds are entry ids or real times in ms; both inclusive. */
export interface StreamQuery {
  /** Default: the start of the stream. */
  from?: string | number
  /** Default: the end of the stream. */
  to?: string | number
  /** Only entries past this id in reading order (exclusive): the `id` of the previous page's last entry. */
  after?: string
  /** Most entries returned. Default: all. */
  count?: number
  /** Newest first. Default `false`. */
  reverse?: boolean
}

/** An append-only log in a Redis stream, JSON values, trimmed by length and age, with a TTL. */
export interface RedisStream<T> {
  /** The Redis key (`sx:<owner>:<name>`). */
  readonly key: string
  /** Appends one entry atomically with its trimming and TTL renewal. Resolves with the entry id. */
  append(value: T): Promise<string>
  /** Appends many entries in one round-trip (a journal flush). Resolves with their ids, in order. */
  appendMany(values: T[]): Promise<string[]>
  /** {@link appendMany} for values already serialised as JSON (a journal's lines). */
  appendSerialised(jsons: readonly string[]): Promise<string[]>
  range(query?: StreamQuery): Promise<Array<StreamEntry<T>>>
  /** Number of entries held. */
  length(): Promise<number>
  /** Removes the stream. */
  delete(): Promise<void>
}

/**
 * Opens a stream on the Redis store: the storage a journal shared by replicas needs (appends from every
 * replica land in one ordered log; a verdict reads the whole run with `range`). Every operation rejects
 * with `StoreUnavailableError` while Redis is down, as the store's own do.
 */
export function openRedisStream<T>(
  store: RedisStore,
  name: string,
  options: RedisStreamOptions = {},
): RedisStream<T> {
  const keys = store.keys(options.clientId)
  const key = keys.stream(name)
  const args = (json: string): Array<string | number> => [
    key,
    keys.ownerIndex,
    json,
    options.maxLen ?? DEFAULTS.tuning.redisStreamEntries,
    options.maxAgeMs ?? 0,
    options.ttlMs ?? store.defaultTtlMs,
  ]
  const appendSerialised = async (jsons: readonly string[]): Promise<string[]> => {
    if (jsons.length === 0) return []
    return store.run(async (r) => {
      const batch = r.pipeline() as unknown as {
        stStreamAppend(...a: Array<string | number>): void
        exec(): Promise<Array<[Error | null, unknown]> | null>
      }
      for (const json of jsons) batch.stStreamAppend(...args(json))
      return ((await batch.exec()) ?? []).map(([err, id]) => {
        if (err) throw err
        return String(id)
      })
    })
  }
  const serialise = (value: T): string => JSON.stringify(value ?? null)
  return {
    key,
    append: async (value) =>
      String(await store.run((r) => r.stStreamAppend(...args(serialise(value))))),
    appendMany: (values) => appendSerialised(values.map(serialise)),
    appendSerialised,
    range: async (query = {}) => {
      const next = query.after !== undefined ? `(${query.after}` : undefined
      const low = (!query.reverse && next) || bound(query.from, '-')
      const high = (query.reverse && next) || bound(query.to, '+')
      const n = query.count
      const rows = await store.run((r) => {
        const [start, end] = query.reverse ? [high, low] : [low, high]
        const read = query.reverse ? r.xrevrange.bind(r) : r.xrange.bind(r)
        return n === undefined ? read(key, start, end) : read(key, start, end, 'COUNT', n)
      })
      return rows.map(([id, fields]) => ({
        id,
        at: Number(id.split('-')[0]),
        value: JSON.parse(fields[fields.indexOf('d') + 1] ?? 'null') as T,
      }))
    },
    length: () => store.run((r) => r.xlen(key)),
    delete: async () => {
      await store.run((r) => r.unlink(key))
    },
  }
}

const bound = (value: string | number | undefined, open: string): string =>
  value === undefined ? open : String(value)
