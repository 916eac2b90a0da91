import type { Store } from '../store/store.js'

/** Wrong admin tokens an address may present in a window before it is refused for a while. */
export const ADMIN_FAILURE_LIMIT = { failures: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000 }

const FAILURES = 'admin-token-failures'
const LOCKS = 'admin-token-locks'

/**
 * Failed admin-token attempts per address, shared by the admin API and the console's operator
 * sign-in: past {@link ADMIN_FAILURE_LIMIT}'s failures in its window, the address is refused (429)
 * for its lock time, right token or not, so the admin token cannot be guessed by trying. Counted on
 * real time in the store's global scope, so every replica sees the same count.
 */
export interface AdminFailures {
  /** Seconds the address is still refused; 0 when it may try. */
  locked(ip: string): Promise<number>
  /** Counts a failure; resolves the lock's length in seconds when this one starts it, else 0. */
  fail(ip: string): Promise<number>
}

export function createAdminFailures(store: Store, now: () => number): AdminFailures {
  const scope = store.global
  const { failures, windowMs, lockMs } = ADMIN_FAILURE_LIMIT
  return {
    locked: async (ip) => {
      const until = await scope.get<number>(LOCKS, ip)
      if (until === undefined) return 0
      const left = until - now()
      return left > 0 ? Math.ceil(left / 1000) : 0
    },
    fail: async (ip) => {
      const t = now()
      const { count } = await scope.hit(FAILURES, ip, windowMs, t)
      if (count < failures) return 0
      await scope.set(LOCKS, ip, t + lockMs, lockMs)
      await scope.delete(FAILURES, ip)
      return Math.ceil(lockMs / 1000)
    },
  }
}
