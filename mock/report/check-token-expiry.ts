import { cite, count, decide } from './evidence.js'
import type { Check, Evidence } from './report-types.js'
import { refusedAsExpired, tokensSeen } from './tokens-seen.js'

/**
 * Re-authenticates on expiry: a token is presented at most once after it expired, and never again
 * once it was refused as expired (or spent, for a single-use token).
 */
export const tokenExpiryCheck: Check = {
  id: 'token-expiry',
  title: 're-authenticates on expiry instead of presenting an expired token again',
  rule:
    'Once a call was refused with 401 code 00103 (token expired, or a single-use token already spent), or presented a ' +
    'token past its expiry (sandbox clock), no later call may present the same token (jti): one presentation tells the ' +
    'client, a second one is the fault. Fails on any such call; exercised by a 00103 answer or by a token that expired ' +
    'while the client kept calling; not exercised otherwise.',
  judge({ tokens, calls }) {
    const failures: Evidence[] = []
    const passes: Evidence[] = []
    /** Tokens the client was told, or should have known, are dead. */
    const dead = new Set<string>()
    let refused = 0
    for (const c of calls) {
      const { jti, tokenExpiresAt } = c.entry
      if (!jti) continue
      if (dead.has(jti)) {
        failures.push(
          cite(c.entry, `presented again a token already expired or refused as expired`),
        )
        continue
      }
      if (refusedAsExpired(c.entry)) {
        dead.add(jti)
        refused++
        passes.push(cite(c.entry, 'token refused as expired; never presented again'))
      } else if (tokenExpiresAt !== undefined && c.t >= Date.parse(tokenExpiresAt)) {
        dead.add(jti)
      }
    }
    // Tokens that ran out while the client went on calling: renewing in time exercises the check too.
    const lastCall = calls.at(-1)?.t ?? -Infinity
    let renewed = 0
    for (const token of tokensSeen(tokens, calls)) {
      if (token.uses.length === 0 || token.expiresAt >= lastCall) continue
      const after = calls.find((c) => c.t >= token.expiresAt)
      if (!after || after.entry.jti === token.jti || refusedAsExpired(after.entry)) continue
      renewed++
      passes.push(
        cite(after.entry, `first call after token ${token.jti} expired, with a new token`),
      )
    }
    return decide({
      exercised: passes.length > 0 || failures.length > 0 || dead.size > 0,
      failures,
      passes,
      pass: `Never presented an expired token twice (${count(refused, '00103 answer')}; ${count(renewed, 'token')} renewed on expiry).`,
      fail: `${count(failures.length, 'call')} presented a token already expired or refused as expired.`,
      none: 'No token expired during the run and none was refused as expired.',
    })
  },
}
