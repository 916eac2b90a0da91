import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import { createMemoryStore } from './memory-store.js'
import type { Store } from './store.js'

/**
 * Opens the store named by the `state` option: `'memory'`, a lowdb file path, or `redis://...`.
 */
export async function openStore(state: string, now: () => number): Promise<Store> {
  if (state === 'memory') return createMemoryStore({ now })
  if (/^rediss?:\/\//.test(state)) {
    throw new SandboxConfigError(SANDBOX_ERRORS.BAD_STATE, `--state ${state}: the Redis store is not built yet`)
  }
  return createMemoryStore({ file: state, now })
}
