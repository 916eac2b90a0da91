/**
 * Response headers the auth module adds. Both are the sandbox's own (prefix `Sandbox-`): the standard
 * `Warning` header is obsolete (RFC 9111 §5.5) and no standard header announces a credential's expiry.
 */

/** HTTP date at which the client's secret expires; sent when it expires within the notice period. */
export const SECRET_EXPIRES_HEADER = 'sandbox-secret-expires'

/** A short warning sentence; sent on API calls authenticated with Basic. */
export const WARNING_HEADER = 'sandbox-warning'

/** The text of {@link WARNING_HEADER} on a Basic-authenticated call. */
export const BASIC_WARNING =
  'basic-auth-not-recommended: Basic authentication is accepted but not recommended; get a token at /oauth/token and send it as a Bearer token'

/** Realm of every `WWW-Authenticate` challenge the sandbox sends. */
export const REALM = 'sandbox-twin'

/** What each refusal reason means, for `WWW-Authenticate`'s `error_description` (RFC 6750 §3). */
export const REASON_TEXT: Record<string, string> = {
  missing: 'no access token: send Authorization: Bearer <token>',
  'unsupported-scheme': 'unsupported authorization scheme: send Authorization: Bearer <token>',
  'token-too-long': 'the token is too long to be a sandbox token',
  malformed: 'the token is not a well-formed JWS compact serialisation',
  'alg-not-allowed':
    'the token algorithm is not accepted (only the algorithm of the signing key, never none or HMAC)',
  'wrong-type': 'the token is not an access token (typ must be at+jwt)',
  'unknown-kid':
    'the token names a signing key (kid) the sandbox does not have; see /.well-known/jwks.json',
  'bad-signature': 'the token signature does not verify',
  'wrong-issuer': 'the token was issued by another issuer',
  'wrong-audience': 'the token is meant for another audience',
  'bad-claims':
    'the token lacks a required claim (sub, jti, iat, exp, scopes), or its times are out of range',
  'unknown-client': 'the client of this token no longer exists',
  revoked: 'the token has been revoked',
  expired: 'the token has expired on the client sandbox clock; request a new one',
  'not-yet-valid': 'the token is not valid yet (nbf is in the future)',
  'issued-in-future':
    'the token is issued in the future (iat is ahead of the client sandbox clock)',
  'lifetime-too-long': "the token lives longer than the client's token lifetime allows",
  consumed: 'this single-use token has already been used; request a new one',
  'bad-credentials': 'client authentication failed',
  'basic-not-allowed':
    'this client may not use Basic authentication on API calls; use a Bearer token',
  'auth-mode-not-allowed':
    "this kind of token (OAuth or portal) is not in the client's auth_mode any more",
}

/**
 * The RFC 6750 §3 `WWW-Authenticate: Bearer` challenge, the one way the sandbox writes it: the realm
 * (`sandbox-twin` unless `params.realm` says otherwise) then `error`, `error_description`, `scope`...
 * as given, quotes and backslashes escaped.
 */
export function bearerChallenge(params: Record<string, string> = {}): string {
  const quoted = Object.entries({ realm: REALM, ...params }).map(
    ([k, v]) => `${k}="${v.replace(/["\\]/g, '\\$&')}"`,
  )
  return `Bearer ${quoted.join(', ')}`
}
