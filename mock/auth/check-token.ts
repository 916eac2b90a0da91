import type { SandboxClock } from '../clock/clock.js'
import type { ClientRegistry, SandboxClient } from './client-registry.js'
import type { AccessClaims } from './issue-token.js'
import type { SpentState, TokenState } from './token-state.js'
import { judgeTime, type Verification } from './verify-token.js'
import { internScopes } from './scope-list.js'
import { API_ERRORS, type TokenErrorCode } from '../api-errors.js'

export type { TokenErrorCode } from '../api-errors.js'

export type TokenCheck =
  | {
      ok: true
      claims: AccessClaims
      client: SandboxClient
      /** The client's clock offset, ms. */
      offset: number
      /** The token's scopes that the client still holds: a privilege withdrawn takes effect at once. */
      scopes: readonly string[]
    }
  | { ok: false; code: TokenErrorCode; reason: string; clientId?: string; offset?: number }

export interface TokenCheckDeps {
  verify: (token: string) => Verification | Promise<Verification>
  clients: ClientRegistry
  clock: SandboxClock
  state: TokenState
  /** Seconds a token's `iat` may be ahead of the client's clock (clock skew). */
  skewS: number
  /** Longest lifetime of a portal token, seconds (`tokens.portalMaxLifetime`). */
  portalMaxLifetimeS: number
}

/**
 * Judges a bearer token without consuming it: signature and fixed claims (cached), then one parallel
 * read of the store (client record, clock offset, revoked/consumed state), then times on the client's
 * sandbox clock. `realNow` is the exchange's arrival time, ms. Where the store is local (the embedded
 * store) and the token cached, the same reads are made at once and no promise is made.
 */
export function createTokenCheck(
  d: TokenCheckDeps,
): (token: string, realNow: number) => TokenCheck | Promise<TokenCheck> {
  // The scopes a token keeps under its client's privileges, remembered per verified token (its
  // claims object lives in the verification cache) for the privilege list it was computed from: a
  // client record changed by the admin is a new object with its own list, and is computed afresh.
  const kept = new WeakMap<AccessClaims, { held: readonly string[]; scopes: readonly string[] }>()
  const keptScopes = (claims: AccessClaims, privileges: readonly string[]): readonly string[] => {
    const memo = kept.get(claims)
    if (memo !== undefined && memo.held === privileges) return memo.scopes
    const held = new Set(privileges)
    const scopes = internScopes(claims.scopes.filter((s) => held.has(s)))
    kept.set(claims, { held: privileges, scopes })
    return scopes
  }

  const { getAtOnce } = d.clients
  const { offsetAtOnce } = d.clock
  const { spentAtOnce } = d.state
  /** The state a verified token depends on, read from the store, then judged. */
  const readState = (v: Verification, realNow: number): TokenCheck | Promise<TokenCheck> => {
    if (!v.ok) return { ok: false, code: API_ERRORS.TOKEN_INVALID, reason: v.defect }
    const { claims } = v
    if (getAtOnce && offsetAtOnce && spentAtOnce) {
      const sub = claims.sub
      const client = getAtOnce(sub)
      return judge(claims, client, offsetAtOnce(sub), spentAtOnce(sub, claims.jti), realNow)
    }
    return Promise.all([
      d.clients.get(claims.sub),
      d.clock.offset(claims.sub),
      d.state.spent(claims.sub, claims.jti),
    ]).then(([client, offset, spent]) => judge(claims, client, offset, spent, realNow))
  }

  const judge = (
    claims: AccessClaims,
    client: SandboxClient | undefined,
    offset: number,
    spent: SpentState | undefined,
    realNow: number,
  ): TokenCheck => {
    const who = { clientId: claims.sub, offset }
    if (!client)
      return { ok: false, code: API_ERRORS.TOKEN_INVALID, reason: 'unknown-client', ...who }
    // Issued to a client since deleted, whose id was given again: not the new client's, nor its
    // journal's (the refusal is not attributed to it).
    if (client.generation !== undefined && claims.client_gen !== client.generation)
      return { ok: false, code: API_ERRORS.TOKEN_INVALID, reason: 'unknown-client' }
    if (spent === 'revoked')
      return { ok: false, code: API_ERRORS.TOKEN_REVOKED, reason: 'revoked', ...who }
    const time = judgeTime(claims, realNow + offset, {
      skewS: d.skewS,
      // A portal token lives as long as it was minted for, within the sandbox's maximum.
      maxLifetimeS: claims.portal ? d.portalMaxLifetimeS : client.tokenLifetime,
    })
    if (time === 'expired')
      return { ok: false, code: API_ERRORS.TOKEN_EXPIRED, reason: 'expired', ...who }
    if (time !== undefined)
      return { ok: false, code: API_ERRORS.TOKEN_INVALID, reason: time, ...who }
    // A spent single-use token asks the client to fetch a new one, like an expired one.
    if (spent === 'consumed')
      return { ok: false, code: API_ERRORS.TOKEN_EXPIRED, reason: 'consumed', ...who }
    return { ok: true, claims, client, offset, scopes: keptScopes(claims, client.privileges) }
  }

  return (token, realNow) => {
    const v = d.verify(token)
    return v instanceof Promise ? v.then((x) => readState(x, realNow)) : readState(v, realNow)
  }
}
