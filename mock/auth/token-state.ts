import type { Store } from '../store/store.js'

/** Why a token whose signature and claims are fine is refused all the same. */
export type SpentState = 'revoked' | 'consumed'

/**
 * The mutable side of tokens, in the owner client's scope of the store: revoked and consumed token
 * ids (namespace `jti`) and the ids of live tokens (namespace `issued`), so that revoking a secret can
 * revoke every token issued with it. Never cached in memory: another replica may have revoked a token
 * a millisecond ago.
 */
export interface TokenState {
  /** Remembers an issued token until it expires. */
  track(clientId: string, jti: string, expiresAt: number): Promise<void>
  /** One store lookup: whether the token was revoked or consumed. */
  spent(clientId: string, jti: string): Promise<SpentState | undefined>
  /** {@link spent} read at once, where the store is local (the embedded store); absent on Redis. */
  readonly spentAtOnce?: (clientId: string, jti: string) => SpentState | undefined
  /** Consumes a single-use token atomically: `true` for its first use, else why it cannot be used. */
  consume(clientId: string, jti: string, expiresAt: number): Promise<true | SpentState>
  revoke(clientId: string, jti: string, expiresAt: number): Promise<void>
  /** Revokes every live token of a client; resolves how many. */
  revokeAll(clientId: string): Promise<number>
}

const SPENT = 'jti'
const ISSUED = 'issued'
/** Kept a minute past the token's expiry, so no clock drift between replicas revives it. */
const MARGIN = 60_000 // ms

/**
 * `expiresAt` is on the client's sandbox clock, which is never behind real time: keeping a record
 * until real time reaches `expiresAt` outlives the token even if the clock is reset.
 */
export function createTokenState(store: Store, realNow: () => number): TokenState {
  const ttl = (expiresAt: number): number => Math.max(0, expiresAt - realNow()) + MARGIN
  return {
    track: (clientId, jti, expiresAt) =>
      store.scope(clientId).set(ISSUED, jti, expiresAt, ttl(expiresAt)),
    spent: (clientId, jti) => store.scope(clientId).get<SpentState>(SPENT, jti),
    ...(store.global.local && {
      spentAtOnce: (clientId: string, jti: string) =>
        store.scope(clientId).local!.get<SpentState>(SPENT, jti),
    }),
    consume: async (clientId, jti, expiresAt) => {
      const scope = store.scope(clientId)
      if (await scope.setIfAbsent<SpentState>(SPENT, jti, 'consumed', ttl(expiresAt))) return true
      return (await scope.get<SpentState>(SPENT, jti)) ?? 'consumed'
    },
    revoke: (clientId, jti, expiresAt) =>
      store.scope(clientId).set<SpentState>(SPENT, jti, 'revoked', ttl(expiresAt)),
    revokeAll: async (clientId) => {
      const scope = store.scope(clientId)
      const live = await scope.entries<number>(ISSUED)
      for (const [jti, expiresAt] of live)
        await scope.set<SpentState>(SPENT, jti, 'revoked', ttl(expiresAt))
      return live.length
    },
  }
}
