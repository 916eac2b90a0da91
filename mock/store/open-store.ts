import { createMemoryStore } from './memory-store.js'
import { redactUrl } from './redis-connection.js'
import { createRedisStore } from './redis-store.js'
import type { Store } from './store.js'

/** Pause between two readiness probes while start-up waits for Redis, ms. */
const STARTUP_PROBE_MS = 250

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
): Promise<Store> {
  if (state === 'memory') return createMemoryStore({ now })
  if (!/^rediss?:\/\//.test(state))
    return createMemoryStore({ file: state, now, ...(log ? { log } : {}) })
  const store = await createRedisStore({ url: state, ...(log ? { log } : {}) })
  if (!(await store.ready())) {
    log?.(`redis: start-up waits for ${redactUrl(state)} (keys and clients are read from it)`)
    while (!(await store.ready()))
      await new Promise((resolve) => setTimeout(resolve, STARTUP_PROBE_MS))
  }
  return store
}
