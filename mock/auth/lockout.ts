import type { LockoutOptions } from '../options.js'
import type { Store, WindowHit } from '../store/store.js'
import type { SandboxClock } from '../clock/clock.js'
import { fingerprint } from './secret-hash.js'

/**
 * Temporary blocking after repeated failed client authentications (CNIL §3.8). Failures are counted
 * per client id **and** source IP, so an attacker elsewhere cannot lock a legitimate client out.
 * Windows and lockouts are judged on the client's sandbox clock: a test skips 15 minutes at once.
 */
export interface Lockout {
  /** Seconds left of a lockout of this client id from this IP; 0 when not locked. */
  remaining(clientId: string, ip: string): Promise<number>
  /** Counts a failure. Resolves the lockout's length in seconds when this failure starts one, else 0. */
  fail(clientId: string, ip: string): Promise<number>
  /** Lifts every lockout and failure count of a client id (admin unlock). */
  lift(clientId: string): Promise<void>
  /**
   * Seconds an address stays past its budget of failures (`lockout.perAddress` in `lockout.window`
   * of real time, whatever the client ids); 0 when it is within it.
   */
  addressRemaining(ip: string): Promise<number>
}

const FAILURES = 'auth-failures'
const LOCKS = 'auth-lockouts'
const ADDRESS = 'auth-failures-by-address'
const SEP = '\u0000'

/** Client ids are attacker-chosen: long ones are hashed so a key stays small. */
const keyOf = (clientId: string, ip: string): string =>
  `${clientId.length > 128 ? fingerprint(clientId) : clientId}${SEP}${ip}`

/** Builds the lockout on the store's global scope (unknown client ids have no scope of their own). */
export function createLockout(
  store: Store,
  clock: SandboxClock,
  options: LockoutOptions,
  realNow: () => number = Date.now,
): Lockout {
  const scope = store.global
  const windowMs = options.window * 1000
  const durationMs = options.duration * 1000
  return {
    remaining: async (clientId, ip) => {
      const key = keyOf(clientId, ip)
      const until = await scope.get<number>(LOCKS, key)
      if (until === undefined) return 0
      const left = until - (await clock.now(clientId))
      if (left > 0) return Math.ceil(left / 1000)
      // Over on the client's clock (moved forward, or real time passed): the record goes now.
      await scope.delete(LOCKS, key)
      return 0
    },
    fail: async (clientId, ip) => {
      if (options.perAddress > 0) await scope.hit(ADDRESS, ip, windowMs, realNow())
      if (options.maxFailures === 0) return 0
      const key = keyOf(clientId, ip)
      const now = await clock.now(clientId)
      const { count } = await scope.hit(FAILURES, key, windowMs, now)
      if (count < options.maxFailures) return 0
      await scope.set(LOCKS, key, now + durationMs, durationMs)
      // A fresh count after the lockout: five more failures to lock again.
      await scope.delete(FAILURES, key)
      return options.duration
    },
    addressRemaining: async (ip) => {
      if (options.perAddress === 0) return 0
      const w = await scope.get<WindowHit>(ADDRESS, ip)
      if (!w || w.count < options.perAddress) return 0
      const left = w.resetAt - realNow()
      return left > 0 ? Math.ceil(left / 1000) : 0
    },
    lift: async (clientId) => {
      const prefix = `${keyOf(clientId, '')}`
      for (const ns of [LOCKS, FAILURES]) {
        for (const [key] of await scope.entries(ns))
          if (key.startsWith(prefix)) await scope.delete(ns, key)
      }
    },
  }
}
