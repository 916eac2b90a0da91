import type { JournalEntry } from '../journal/journal-entry.js'
import type { Call } from './report-types.js'
import { API_ERRORS } from '../api-errors.js'

/** An access token as the journal saw it. */
export interface SeenToken {
  jti: string
  /** Issuance (else first use), sandbox ms. */
  issuedAt: number
  /** Expiry, sandbox ms (`Infinity` when unknown). */
  expiresAt: number
  /** The scopes it carried, sorted and joined: tokens are compared within one set of scopes. */
  scopeKey: string
  singleUse: boolean
  /** The issuance entry, else the first call that used it. */
  entry: JournalEntry
  /** API calls that presented it, in order. */
  uses: Call[]
}

/**
 * The client's access tokens, in order of issuance: from the journal's token entries, completed with
 * tokens only seen on API calls (issued before the journal's window, or journaled elsewhere).
 */
export function tokensSeen(tokens: JournalEntry[], calls: Call[]): SeenToken[] {
  const byJti = new Map<string, SeenToken>()
  const expiry = (e: JournalEntry): number =>
    e.tokenExpiresAt ? Date.parse(e.tokenExpiresAt) : Infinity
  for (const e of tokens) {
    if (!e.jti || byJti.has(e.jti)) continue
    const scopeKey = [...(e.scopes ?? [])].sort().join(' ')
    byJti.set(e.jti, {
      jti: e.jti,
      issuedAt: Date.parse(e.sandboxAt),
      expiresAt: expiry(e),
      scopeKey,
      singleUse: e.singleUse === true,
      entry: e,
      uses: [],
    })
  }
  for (const c of calls) {
    const e = c.entry
    if (!e.jti || e.authMode === 'basic') continue
    let token = byJti.get(e.jti)
    if (!token) {
      const scopeKey = [...(e.scopes ?? [])].sort().join(' ')
      token = {
        jti: e.jti,
        issuedAt: c.t,
        expiresAt: expiry(e),
        scopeKey,
        singleUse: false,
        entry: e,
        uses: [],
      }
      byJti.set(e.jti, token)
    }
    if (e.singleUse) token.singleUse = true
    if (token.expiresAt === Infinity && e.tokenExpiresAt) token.expiresAt = expiry(e)
    token.uses.push(c)
  }
  return [...byJti.values()].sort((a, b) => a.issuedAt - b.issuedAt)
}

/** True when a call was refused as expired (`00103`: expired, or a spent single-use token). */
export const refusedAsExpired = (e: JournalEntry): boolean =>
  e.status === 401 && e.code === API_ERRORS.TOKEN_EXPIRED
