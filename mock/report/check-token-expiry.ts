import { cite, count, decide } from './evidence.js'
import type { Check, Evidence } from './report-types.js'
import { refusedAsExpired, tokensSeen } from './tokens-seen.js'

/** Re-authenticates on expiry: a token refused as expired is never presented again. */
export const tokenExpiryCheck: Check = {
  id: 'token-expiry',
  title: 're-authenticates on expiry instead of retrying with the expired token',
  rule:
    'Once a call is refused with 401 code 00103 (token expired, or a single-use token already spent), no later call may ' +
    'present the same token (jti). Fails on any such call; exercised by a 00103 answer or by a token that expired while ' +
    'the client kept calling; not exercised otherwise.',
  judge({ tokens, calls }) {
    const failures: Evidence[] = []
    const passes: Evidence[] = []
    const refused = new Map<string, number>()
    for (const c of calls) {
      const { jti } = c.entry
      if (!jti) continue
      if (refused.has(jti)) {
        failures.push(cite(c.entry, `presented again a token already refused as expired`))
        continue
      }
      if (refusedAsExpired(c.entry)) {
        refused.set(jti, c.t)
        passes.push(cite(c.entry, 'token refused as expired; never presented again'))
      }
    }
    // Tokens that ran out while the client went on calling: renewing in time exercises the check too.
    const lastCall = calls.at(-1)?.t ?? -Infinity
    for (const token of tokensSeen(tokens, calls)) {
      if (refused.has(token.jti) || token.uses.length === 0 || token.expiresAt >= lastCall) continue
      const after = calls.find((c) => c.t >= token.expiresAt)
      if (after)
        passes.push(
          cite(
            after.entry,
            `first call after token ${token.jti} expired, with ${after.entry.jti === token.jti ? 'that same token' : 'a new token'}`,
          ),
        )
    }
    return decide({
      exercised: passes.length > 0 || failures.length > 0,
      failures,
      passes,
      pass: `Never presented an expired token again (${count(refused.size, '00103 answer')}; ${count(passes.length - refused.size, 'token')} renewed on expiry).`,
      fail: `${count(failures.length, 'call')} presented a token already refused as expired.`,
      none: 'No token expired during the run and none was refused as expired.',
    })
  },
}
