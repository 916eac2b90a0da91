import { cite, count, decide, duration } from './evidence.js'
import type { Check, Evidence } from './report-types.js'
import { tokensSeen, type SeenToken } from './tokens-seen.js'

/** A token is near its expiry when less than this share of its lifetime is left... */
export const NEAR_EXPIRY_SHARE = 0.2
/** ...or less than this, ms. */
export const NEAR_EXPIRY_MS = 60_000

/** Why a new token was justified, or `undefined` when it was premature. */
function justification(previous: SeenToken, next: SeenToken): string | undefined {
  if (previous.singleUse) return 'the previous token was single-use'
  const refused = previous.uses.find((c) => c.entry.status === 401 && c.t <= next.issuedAt)
  if (refused) return `the previous token was refused (${refused.entry.code ?? '401'})`
  const left = previous.expiresAt - next.issuedAt
  if (left <= 0) return 'the previous token had expired'
  const lifetime = previous.expiresAt - previous.issuedAt
  const near = Math.max(NEAR_EXPIRY_MS, NEAR_EXPIRY_SHARE * lifetime)
  return left <= near ? `the previous token had ${duration(left)} left` : undefined
}

/** Reuses an access token until near its expiry, instead of fetching one per call. */
export const tokenReuseCheck: Check = {
  id: 'token-reuse',
  title: 'reuses an access token until near its expiry (not one token per call)',
  rule:
    'Each new access token, compared with the previous token of the same scopes: it is premature when that previous token ' +
    `still had more than max(${NEAR_EXPIRY_MS / 1000} s, ${NEAR_EXPIRY_SHARE * 100} % of its lifetime) to live on the sandbox clock, ` +
    'had not been refused with a 401, and was not single-use. Fails on any premature token; not exercised with fewer than two ' +
    'calls or tokens.',
  judge({ tokens, calls }) {
    const seen = tokensSeen(tokens, calls)
    const failures: Evidence[] = []
    const passes: Evidence[] = []
    const last = new Map<string, SeenToken>()
    for (const token of seen) {
      const previous = last.get(token.scopeKey)
      last.set(token.scopeKey, token)
      if (!previous) continue
      const why = justification(previous, token)
      if (why) passes.push(cite(token.entry, `new token: ${why}`))
      else {
        const left = duration(previous.expiresAt - token.issuedAt)
        failures.push(
          cite(
            token.entry,
            `new token while the previous one (${previous.jti}, used ${count(previous.uses.length, 'time')}) still had ${left} to live`,
          ),
        )
      }
    }
    const bearerCalls = calls.filter((c) => c.entry.jti && c.entry.authMode !== 'basic').length
    if (failures.length === 0 && seen[0])
      passes.unshift(cite(seen[0].entry, `first token, used ${count(seen[0].uses.length, 'time')}`))
    return decide({
      exercised: bearerCalls >= 2 || seen.length >= 2,
      failures,
      passes,
      pass: `${count(seen.length, 'token')} for ${count(bearerCalls, 'call')}, each renewed only near its expiry or once refused.`,
      fail: `${count(failures.length, 'token')} of ${seen.length} fetched while the previous one was still good (${count(bearerCalls, 'call')}).`,
      none: 'Fewer than two calls with an access token.',
    })
  },
}
