import { createMemoryStore } from './memory-store.js'
import { createRedisStore } from './redis-store.js'
import type { Store } from './store.js'

/**
 * Opens the store named by the `state` option: `'memory'`, a lowdb file path, or `redis://...` /
 * `rediss://...`. `now` is the real-time source of the embedded store (Redis keeps its own clock for
 * TTLs); `log` receives the Redis store's connection losses and recoveries.
 */
export async function openStore(
  state: string,
  now: () => number,
  log?: (line: string) => void,
): Promise<Store> {
  if (state === 'memory') return createMemoryStore({ now })
  if (/^rediss?:\/\//.test(state)) return createRedisStore({ url: state, ...(log ? { log } : {}) })
  return createMemoryStore({ file: state, now })
}
