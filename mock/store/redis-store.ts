import {
  checkRedisUrl,
  connectRedis,
  toStoreError,
  waitUntilReady,
  type ScriptedRedis,
} from './redis-connection.js'
import { redisKeys, type RedisKeys } from './redis-keys.js'
import type { Store, StoreScope, WindowHit } from './store.js'
import { DEFAULTS } from '../options.js'

export { StoreUnavailableError } from './store.js'
export type { ScriptedRedis } from './redis-connection.js'
export type { RedisKeys } from './redis-keys.js'

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port/db` or `rediss://...` (TLS). Required. */
  url: string
  /**
   * TTL of a key written without one, ms. Default `DEFAULTS.tuning.redisKeyTtlMs` (30 days). Renewed by every write, and by a read once
   * it has run down by `refreshMarginMs`: state in use never expires, abandoned state does.
   */
  defaultTtlMs?: number
  /** How far a default TTL may run down before a read renews it, ms. Default 1 day, at most a tenth of `defaultTtlMs`. */
  refreshMarginMs?: number
  /** Prepended to every key, to share one Redis database between sandboxes. Default `''`. */
  keyPrefix?: string
  /** Longest wait for a TCP connection, and for the first one at start-up, ms. Default `DEFAULTS.tuning.redisConnectTimeoutMs`. */
  connectTimeoutMs?: number
  /** Longest wait for one command's reply, ms. Default `DEFAULTS.tuning.redisCommandTimeoutMs`. */
  commandTimeoutMs?: number
  /** Longest wait for the PING of `ready()`, ms. Default `DEFAULTS.tuning.redisReadyTimeoutMs`. */
  readyTimeoutMs?: number
  /** Where connection losses and recoveries are reported. Default: nowhere. */
  log?: (line: string) => void
}

/** The Redis store, with what features beyond the {@link Store} interface may use (streams, pub/sub). */
export interface RedisStore extends Store {
  readonly kind: 'redis'
  /** The ioredis client (shared: never `quit` it, `duplicate()` it for pub/sub). */
  readonly redis: ScriptedRedis
  /** TTL given to keys written without one, ms. */
  readonly defaultTtlMs: number
  /** Key layout of the global scope (`clientId` undefined) or of a client. */
  keys(clientId?: string): RedisKeys
  /** Runs a Redis call, turning a connection failure into `StoreUnavailableError`. */
  run<T>(call: (redis: ScriptedRedis) => Promise<T>): Promise<T>
}

const DAY = 86_400_000 // ms

/** True when `store` is the Redis store (its extra members may be used). */
export function isRedisStore(store: Store): store is RedisStore {
  return store.kind === 'redis' && 'redis' in store
}

/**
 * The Redis store, for several replicas sharing state. Every key has a TTL (see
 * {@link RedisStoreOptions.defaultTtlMs}); every read-then-write is one Lua script; `entries` and
 * `clear` read per-namespace indexes, never SCAN. With Redis down the store never crashes: calls reject
 * at once with `StoreUnavailableError`, `ready()` is false, and the client reconnects by itself.
 *
 * A bad URL throws a `SandboxConfigError`; an unreachable Redis at start-up does not (replicas may
 * start before Redis): the store opens not ready, and the reason is logged.
 */
export async function createRedisStore(options: RedisStoreOptions): Promise<RedisStore> {
  checkRedisUrl(options.url)
  const log = options.log ?? (() => undefined)
  const defaultTtlMs = options.defaultTtlMs ?? DEFAULTS.tuning.redisKeyTtlMs
  const margin = options.refreshMarginMs ?? Math.min(DAY, Math.floor(defaultTtlMs / 10))
  const keyPrefix = options.keyPrefix ?? ''
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULTS.tuning.redisConnectTimeoutMs
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULTS.tuning.redisReadyTimeoutMs
  const redis = connectRedis({
    url: options.url,
    connectTimeoutMs,
    commandTimeoutMs: options.commandTimeoutMs ?? DEFAULTS.tuning.redisCommandTimeoutMs,
    log,
  })
  // Not reachable yet: the connection logs it; the store opens not ready and serves once it is.
  await waitUntilReady(redis, connectTimeoutMs)

  const run = async <T>(call: (r: ScriptedRedis) => Promise<T>): Promise<T> => {
    try {
      return await call(redis)
    } catch (err) {
      throw toStoreError(err, options.url)
    }
  }
  const ttlOf = (ttlMs?: number): number =>
    ttlMs === undefined ? defaultTtlMs : Math.max(1, Math.ceil(ttlMs))
  // `~` marks a value stored with the default TTL; no JSON text starts with it.
  const encode = (value: unknown, ttlMs?: number): string =>
    (ttlMs === undefined ? '~' : '') + JSON.stringify(value ?? null)
  const decode = <T>(text: string | null | undefined): T | undefined =>
    text == null ? undefined : (JSON.parse(text.startsWith('~') ? text.slice(1) : text) as T)

  function scope(clientId?: string): StoreScope {
    const k = redisKeys(keyPrefix, clientId)
    const valueKeys = (ns: string, key: string): string[] => [
      k.value(ns, key),
      k.nsIndex(ns),
      k.ownerIndex,
    ]
    return {
      get: async <T>(ns: string, key: string) =>
        decode<T>(
          (await run((r) => r.stGet(...valueKeys(ns, key), defaultTtlMs, margin))) as string | null,
        ),
      set: async (ns, key, value, ttlMs) => {
        await run((r) => r.stSet(...valueKeys(ns, key), encode(value, ttlMs), ttlOf(ttlMs)))
      },
      setIfAbsent: async (ns, key, value, ttlMs) =>
        (await run((r) =>
          r.stSetIfAbsent(...valueKeys(ns, key), encode(value, ttlMs), ttlOf(ttlMs)),
        )) === 1,
      delete: async (ns, key) =>
        (await run((r) => r.stDelete(k.value(ns, key), k.nsIndex(ns)))) === 1,
      entries: async <T>(ns: string) => {
        const keys = await run((r) => r.zrange(k.nsIndex(ns), 0, -1))
        const prefix = k.valuePrefix(ns)
        const out: Array<[string, T]> = []
        for (const part of chunks(keys, 500)) {
          const values = await run((r) => r.mget(part))
          part.forEach((key, i) => {
            const value = values[i]
            if (value != null) out.push([key.slice(prefix.length), decode<T>(value) as T])
          })
        }
        return out
      },
      incr: async (ns, key, ttlMs) =>
        Number(await run((r) => r.stIncr(...valueKeys(ns, key), ttlOf(ttlMs)))),
      hit: async (ns, key, windowMs, nowMs): Promise<WindowHit> => {
        const [count, resetAt] = (await run((r) =>
          r.stHit(...valueKeys(ns, key), windowMs, nowMs),
        )) as [number, string]
        return { count: Number(count), resetAt: Number(resetAt) }
      },
      clear: async () => {
        // Not one transaction: a write racing a client's deletion may survive it, with its own TTL.
        const listed = await run((r) => r.smembers(k.ownerIndex))
        for (const index of listed) {
          const isNsIndex = index.startsWith(`${keyPrefix}si:`)
          const members = isNsIndex ? await run((r) => r.zrange(index, 0, -1)) : []
          for (const part of chunks(members, 500)) await run((r) => r.unlink(...part))
          await run((r) => r.unlink(index))
        }
        await run((r) => r.unlink(k.ownerIndex))
      },
    }
  }

  let closing: Promise<void> | undefined
  return {
    kind: 'redis',
    redis,
    defaultTtlMs,
    keys: (clientId) => redisKeys(keyPrefix, clientId),
    run,
    global: scope(),
    scope: (clientId) => scope(clientId),
    ready: () => ping(redis, readyTimeoutMs),
    flush: async () => undefined, // every write reaches Redis before its call resolves
    close: () =>
      (closing ??= (async () => {
        if (redis.status === 'ready') await redis.quit().catch(() => undefined)
        redis.disconnect()
      })()),
  }
}

/** PING bounded by `timeoutMs`; false when Redis is down or slow. Never rejects. */
async function ping(redis: ScriptedRedis, timeoutMs: number): Promise<boolean> {
  if (redis.status !== 'ready') return false
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs)
  })
  const answer = redis.ping().then(
    (reply) => reply === 'PONG',
    () => false,
  )
  try {
    return await Promise.race([answer, late])
  } finally {
    clearTimeout(timer)
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
