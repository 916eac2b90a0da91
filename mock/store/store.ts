/**
 * The one state interface. Every piece of state belongs either to a sandbox client (its scope) or to
 * the sandbox itself (the global scope: client registry, signing keys). Implementations: the embedded
 * store (memory + lowdb file, the default) and the Redis store (several replicas).
 *
 * Times given to the store (`nowMs`, `ttlMs`) are milliseconds. TTLs are housekeeping on real time;
 * rules that depend on the sandbox clock (rate windows, bans) pass the client's sandbox time explicitly.
 */
export interface Store {
  /** `'memory'` (nothing persisted), `'file'` (the embedded store with its lowdb file) or `'redis'`. */
  readonly kind: string
  /** State that belongs to no client. */
  readonly global: StoreScope
  /** State of one sandbox client; keys never collide with another client's. */
  scope(clientId: string): StoreScope
  /** True when the store can serve requests (Redis reachable, file loaded). */
  ready(): Promise<boolean>
  /** Writes pending changes to durable storage (the lowdb file); a no-op where writes are immediate. */
  flush(): Promise<void>
  /** Flushes and releases resources. */
  close(): Promise<void>
  /**
   * False when no key of namespace `ns` exists in any scope, answered at once without a read; true
   * when one may. Only a store that holds its whole state in this process can say (the embedded
   * one); elsewhere it is absent. The request path uses it to skip reads that can only find nothing:
   * a ban, a running scenario, a certification run, a moved clock are rare, and each would otherwise
   * cost a read on every call.
   */
  holdsAny?(ns: string): boolean
}

/** A fixed window's state after a hit. */
export interface WindowHit {
  /** Calls counted in the window, this one included. */
  count: number
  /** Sandbox time (ms) at which the window ends. */
  resetAt: number
}

/**
 * The state of one owner: the sandbox itself (`store.global`) or one sandbox client
 * (`store.scope(clientId)`), in namespaces of keys. Clearing a client's scope removes everything it owns.
 * Values are JSON; read-then-write operations (`setIfAbsent`, `incr`, `hit`) are atomic.
 */
export interface StoreScope {
  get<T>(ns: string, key: string): Promise<T | undefined>
  /** Stores a value; with `ttlMs`, it disappears after that many real milliseconds. */
  set<T>(ns: string, key: string, value: T, ttlMs?: number): Promise<void>
  /** Stores a value only if the key is absent, atomically. True when this call stored it. */
  setIfAbsent<T>(ns: string, key: string, value: T, ttlMs?: number): Promise<boolean>
  /** Removes a key. True when it existed. */
  delete(ns: string, key: string): Promise<boolean>
  /** Every live key and value of a namespace. */
  entries<T>(ns: string): Promise<Array<[string, T]>>
  /** Atomically increments a counter (created at 0) and returns the new value; the TTL is set on creation. */
  incr(ns: string, key: string, ttlMs: number): Promise<number>
  /**
   * Counts a call in a fixed window anchored on the first call: the window starts at the first hit's
   * `nowMs` and ends `windowMs` later; the first hit at or after its end starts a new one. Atomic.
   */
  hit(ns: string, key: string, windowMs: number, nowMs: number): Promise<WindowHit>
  /** Removes every key of this scope (a deleted client leaves nothing behind). */
  clear(): Promise<void>
  /**
   * The same reads and window hits answered at once, where the state lives in this process (the
   * embedded store): the request path reads its counters without a promise. Absent on Redis.
   */
  readonly local?: LocalStoreScope
}

/** Synchronous forms of {@link StoreScope}'s `get` and `hit`, with the same meaning and atomicity. */
export interface LocalStoreScope {
  get<T>(ns: string, key: string): T | undefined
  hit(ns: string, key: string, windowMs: number, nowMs: number): WindowHit
}

/**
 * The store cannot serve an operation right now (Redis down, unreachable or loading). Not a bug: the
 * HTTP layer answers 503 and the same call succeeds once {@link Store.ready} is true again. `cause`
 * holds the driver's error.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError'
  /** The sandbox error code, `SANDBOX_ERRORS.STORE_UNAVAILABLE`. */
  readonly code = 'store-unavailable'
}
