import { compactVerify, decodeProtectedHeader } from 'jose'
import { ACCESS_TOKEN_TYP, type AccessClaims } from './issue-token.js'
import { fingerprint } from './secret-hash.js'
import type { KeyRing } from './signing-keys.js'
import { MAX_TIME_MS } from '../clock/clock.js'
import { DEFAULTS } from '../options.js'
import { lazyLru } from '../lazy-cache.js'

/**
 * Why a token is refused before any state is read. Each one is reported in `WWW-Authenticate`'s
 * `error_description` and on the exchange's notes; the API answer itself is the contract's 00101.
 */
export type TokenDefect =
  | 'token-too-long'
  | 'malformed'
  | 'alg-not-allowed'
  | 'wrong-type'
  | 'unknown-kid'
  | 'bad-signature'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'bad-claims'

export type Verification = { ok: true; claims: AccessClaims } | { ok: false; defect: TokenDefect }

export interface TokenVerifierOptions {
  /** The issuer, or a test of whether an `iss` is one of the sandbox's own (its base URL may move). */
  issuer: string | ((iss: string) => boolean)
  audience: string
  /** Real time, ms. */
  now: () => number
  /** Verified tokens kept. Default `DEFAULTS.tuning.verifiedTokens`. */
  cacheEntries?: number
}

/** Longest token looked at; ours are under 1 KiB. Longer ones are refused unparsed. */
export const MAX_TOKEN_LENGTH = 4096 // characters
// The signature may be empty, so that an `alg: none` token is refused as such, not as malformed.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/
const ALLOWED = new Set(['ES256', 'RS256', 'EdDSA'])

const isStrings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string')
/** A NumericDate the sandbox can compute with: seconds from 1970 to the year 9999. */
const isTime = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 && v * 1000 <= MAX_TIME_MS

/**
 * Verified tokens in use right now, by the token itself: the few a sandbox's callers send call after
 * call skip even the digest. Only tokens whose signature checked enter it (nobody can fill it with
 * made-up ones), at most this many, so it holds under 4 MiB even of the longest tokens accepted.
 */
const RECENT_TOKENS = 512

/** A verified token as cached: its claims, the key that signed it, and its real-time end, ms. */
interface Verified {
  claims: AccessClaims
  kid: string
  until: number
}

/**
 * Checks a token's signature and fixed claims (issuer, audience, types), not its times: expiry and
 * `nbf` are judged per call on the client's sandbox clock, and revocation on the store. Results are
 * cached by the token's SHA-256, verified ones until their `exp`, refused ones for a minute (a flood
 * of one bad token costs one signature check); the last few hundred verified tokens in use are also
 * kept by their own text in memory (never written anywhere), to skip the digest.
 */
export function createTokenVerifier(
  keys: KeyRing,
  o: TokenVerifierOptions,
): (token: string) => Verification | Promise<Verification> {
  const good = lazyLru<string, Verified>({
    max: o.cacheEntries ?? DEFAULTS.tuning.verifiedTokens,
  })
  const bad = lazyLru<string, TokenDefect>({
    max: DEFAULTS.tuning.refusedTokens,
    ttl: DEFAULTS.tuning.refusedTokenMs,
  })
  const recent = new Map<string, Verified>()
  const remember = (token: string, seen: Verified): void => {
    if (recent.size >= RECENT_TOKENS) recent.clear()
    recent.set(token, seen)
  }

  const check = async (token: string): Promise<Verification & { kid?: string }> => {
    let header: ReturnType<typeof decodeProtectedHeader>
    try {
      header = decodeProtectedHeader(token)
    } catch {
      return { ok: false, defect: 'malformed' }
    }
    // Only our asymmetric algorithms: `none` and HS256-with-the-public-key (confusion) end here.
    if (typeof header.alg !== 'string' || !ALLOWED.has(header.alg))
      return { ok: false, defect: 'alg-not-allowed' }
    if (header.typ !== ACCESS_TOKEN_TYP) return { ok: false, defect: 'wrong-type' }
    if (typeof header.kid !== 'string') return { ok: false, defect: 'unknown-kid' }
    const key = await keys.verificationKey(header.kid)
    if (!key) return { ok: false, defect: 'unknown-kid' }
    if (key.alg !== header.alg) return { ok: false, defect: 'alg-not-allowed' }
    let payload: Uint8Array
    try {
      payload = (await compactVerify(token, key.publicKey, { algorithms: [key.alg] })).payload
    } catch (err) {
      const code = (err as { code?: string }).code
      return {
        ok: false,
        defect: code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' ? 'bad-signature' : 'malformed',
      }
    }
    let claims: Partial<AccessClaims>
    try {
      claims = JSON.parse(new TextDecoder().decode(payload)) as Partial<AccessClaims>
    } catch {
      return { ok: false, defect: 'malformed' }
    }
    const ownIssuer =
      typeof o.issuer === 'string'
        ? claims.iss === o.issuer
        : typeof claims.iss === 'string' && o.issuer(claims.iss)
    if (!ownIssuer) return { ok: false, defect: 'wrong-issuer' }
    const aud = claims.aud as unknown
    if (aud !== o.audience && !(isStrings(aud) && aud.includes(o.audience)))
      return { ok: false, defect: 'wrong-audience' }
    const valid =
      typeof claims.sub === 'string' &&
      typeof claims.jti === 'string' &&
      isTime(claims.iat) &&
      isTime(claims.exp) &&
      claims.exp > claims.iat &&
      (claims.nbf === undefined || isTime(claims.nbf)) &&
      isStrings(claims.scopes)
    return valid
      ? { ok: true, claims: claims as AccessClaims, kid: header.kid }
      : { ok: false, defect: 'bad-claims' }
  }

  /** A token not cached, or whose key has left the ring: its defect remembered, else checked. */
  const verifyAfresh = async (token: string, id: string): Promise<Verification> => {
    recent.delete(token)
    if (!COMPACT_JWS.test(token)) return { ok: false, defect: 'malformed' }
    const known = bad().get(id)
    if (known) return { ok: false, defect: known }
    const { kid, ...result } = await check(token)
    if (result.ok) {
      // Sandbox clocks are never behind real time: past real `exp`, the token is dead everywhere.
      const ttl = result.claims.exp * 1000 - o.now()
      if (ttl > 0) {
        const seen = { claims: result.claims, kid: kid!, until: result.claims.exp * 1000 }
        good().set(id, seen, { ttl })
        remember(token, seen)
      }
    } else if (result.defect !== 'unknown-kid') {
      // An unknown kid may be a key another replica just made: not remembered.
      bad().set(id, result.defect)
    }
    return result
  }

  /** A cached token once the key set is known to be current: verified at once, else afresh. */
  const settle = (
    token: string,
    seen: Verified | undefined,
    id: string | undefined,
  ): Verification | Promise<Verification> => {
    if (seen && keys.holds(seen.kid)) return { ok: true, claims: seen.claims }
    return verifyAfresh(token, id ?? fingerprint(token))
  }

  // Without a promise for a token cached, while the key set needs no read.
  return (token) => {
    if (token.length > MAX_TOKEN_LENGTH) return { ok: false, defect: 'token-too-long' }
    // The hot path: a token in use is one map lookup away, one seen before one digest and a lookup.
    let seen = recent.get(token)
    if (seen !== undefined && seen.until <= o.now()) {
      recent.delete(token)
      seen = undefined
    }
    const id = seen === undefined ? fingerprint(token) : undefined
    if (id !== undefined) {
      seen = good().get(id)
      if (seen !== undefined) remember(token, seen)
    }
    // A withdrawn key's tokens stop verifying at once, cached or not; withdrawn on another replica,
    // within the second.
    const syncing = keys.sync()
    if (syncing) return syncing.then(() => settle(token, seen, id))
    return settle(token, seen, id)
  }
}

/**
 * Judges a verified token's times on the client's sandbox clock (ms): expired, not yet valid (`nbf`),
 * issued in the future (`iat` more than `skewS` seconds ahead), or living longer than `maxLifetimeS`
 * (the client's token lifetime: a token the sandbox did not issue that way).
 */
export function judgeTime(
  claims: AccessClaims,
  nowMs: number,
  limits: { skewS: number; maxLifetimeS: number } = { skewS: Infinity, maxLifetimeS: Infinity },
): 'expired' | 'not-yet-valid' | 'issued-in-future' | 'lifetime-too-long' | undefined {
  const now = nowMs / 1000
  if (claims.exp <= now) return 'expired'
  if (claims.iat > now + limits.skewS) return 'issued-in-future'
  if (claims.exp - claims.iat > limits.maxLifetimeS) return 'lifetime-too-long'
  if (claims.nbf !== undefined && claims.nbf > now) return 'not-yet-valid'
  return undefined
}
