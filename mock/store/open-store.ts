import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import { createMemoryStore } from './memory-store.js'
import { redactUrl } from './redact-url.js'
import type { Store } from './store.js'
import { DEFAULTS } from '../options.js'

/**
 * Opens the store named by the `state` option: `'memory'`, a lowdb file path, or `redis://...` /
 * `rediss://...`. `now` is the real-time source of the embedded store (Redis keeps its own clock for
 * TTLs); `log` receives the Redis store's connection losses and recoveries.
 *
 * A Redis store is returned once Redis answers: start-up reads the signing keys and the clients from
 * it, so a replica started before Redis (a restarted container, a compose start) waits for it, says so
 * once, then starts, instead of failing half-built. Once started, an outage only makes it not ready.
 */
export async function openStore(
  state: string,
  now: () => number,
  log?: (line: string) => void,
  waitMs = DEFAULTS.redisWait * 1000,
): Promise<Store> {
  if (state === 'memory') return createMemoryStore({ now })
  if (!/^rediss?:\/\//.test(state))
    return createMemoryStore({ file: state, now, ...(log ? { log } : {}) })
  // Loaded only for a Redis state: the client library is not read at the start of the others.
  const { createRedisStore } = await import('./redis-store.js')
  const store = await createRedisStore({ url: state, ...(log ? { log } : {}) })
  if (!(await store.ready())) {
    log?.(
      `redis: start-up waits up to ${Math.round(waitMs / 1000)} s for ${redactUrl(state)} (keys and clients are read from it)`,
    )
    const deadline = Date.now() + waitMs
    while (!(await store.ready())) {
      if (Date.now() >= deadline) {
        await store.close().catch(() => undefined)
        throw new SandboxConfigError(
          SANDBOX_ERRORS.BAD_STATE,
          `Redis at ${redactUrl(state)} did not answer within ${Math.round(waitMs / 1000)} s. Start it, check the URL, or wait longer with --redis-wait <seconds>.`,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, DEFAULTS.tuning.redisStartupProbeMs))
    }
  }
  return store
}
