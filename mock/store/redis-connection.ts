import { Redis } from 'ioredis'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import { redactUrl } from './redact-url.js'
import { REDIS_SCRIPTS } from './redis-scripts.js'
import { StoreUnavailableError } from './store.js'

export { redactUrl } from './redact-url.js'

/** A script of {@link REDIS_SCRIPTS}, called with its keys then its arguments. */
type ScriptCall = (...args: Array<string | number>) => Promise<unknown>

/** An ioredis client with the store's Lua scripts defined on it (`stSet`, `stHit`...). */
export type ScriptedRedis = Redis & Record<keyof typeof REDIS_SCRIPTS, ScriptCall>

/** Connection settings; every duration in ms. */
export interface RedisConnectionOptions {
  url: string
  /** Longest wait for a TCP connection. */
  connectTimeoutMs: number
  /** Longest wait for a command's reply (a Redis that accepts but never answers). */
  commandTimeoutMs: number
  log: (line: string) => void
}

/** Redis replies that mean "not now" rather than "wrong command". */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|CLUSTERDOWN|TRYAGAIN|NOREPLICAS)\b/

/** Checks a `redis://` / `rediss://` URL at start-up; a bad one is a configuration error. */
export function checkRedisUrl(url: string): void {
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  const db = parsed?.pathname.replace(/^\//, '') ?? ''
  if (!parsed || !/^rediss?:$/.test(parsed.protocol) || !parsed.hostname || !/^\d*$/.test(db)) {
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_STATE,
      `--state ${redactUrl(url)} is not a Redis URL: expected redis://host:port/db (db a number, e.g. redis://127.0.0.1:6379/0).`,
    )
  }
}

/**
 * Opens an ioredis client that fails fast instead of queueing: no offline queue, no resending of
 * commands that were in flight when the connection dropped (a replayed INCR would count twice), a
 * command timeout, and reconnection forever with a backoff capped at 1 s, so that service resumes
 * by itself when Redis returns. Losing and regaining the connection is logged once each way.
 */
export function connectRedis(options: RedisConnectionOptions): ScriptedRedis {
  const redis = new Redis(options.url, {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 1,
    connectTimeout: options.connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 1000),
  })
  for (const [name, script] of Object.entries(REDIS_SCRIPTS)) redis.defineCommand(name, script)
  const where = redactUrl(options.url)
  let down = false
  let lastError = 'connection closed'
  // Listening to 'error' also keeps ioredis from printing each failed reconnection attempt.
  redis.on('error', (err: Error) => {
    lastError = err.message
  })
  // 'reconnecting' rather than 'close': a connection the store itself closed is not an outage.
  redis.on('reconnecting', () => {
    if (down) return
    down = true
    options.log(`redis: ${where} unreachable (${lastError}); API calls answer 503 until it returns`)
    lastError = 'connection closed'
  })
  redis.on('ready', () => {
    if (!down) return
    down = false
    options.log(`redis: ${where} reachable again; service resumed`)
  })
  return redis as ScriptedRedis
}

/** Resolves true once the client is ready, false after `timeoutMs`. Never rejects. */
export function waitUntilReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true)
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer)
      redis.off('ready', onReady)
      resolve(ok)
    }
    const onReady = (): void => done(true)
    const timer = setTimeout(() => done(false), timeoutMs)
    redis.on('ready', onReady)
  })
}

/**
 * Turns a driver failure into {@link StoreUnavailableError} when it is about the connection (refused,
 * closed, timed out, Redis loading); a Redis error about the command itself is a bug and is returned
 * unchanged.
 */
export function toStoreError(err: unknown, url: string): unknown {
  if (err instanceof StoreUnavailableError) return err
  const e = err instanceof Error ? err : new Error(String(err))
  if (e.name === 'ReplyError' && !TRANSIENT_REPLY.test(e.message)) return err
  return new StoreUnavailableError(
    `the Redis store at ${redactUrl(url)} is unavailable: ${e.message}`,
    {
      cause: err,
    },
  )
}
