import type { Response } from 'express'
import { REALM } from './auth-headers.js'
import type { ClientAuthResult } from './authenticate-client.js'

/** The error codes of RFC 6749 §5.2 and RFC 7009 §2.2.1 the sandbox uses. */
export type OAuthError =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'unsupported_grant_type'
  | 'unsupported_token_type'

/** Token responses and their errors are never cached (RFC 6749 §5.1). */
export function noStore(res: Response): void {
  res.setHeader('cache-control', 'no-store')
  res.setHeader('pragma', 'no-cache')
}

/** Sends an RFC 6749 §5.2 error: `{error, error_description}`, never a stack nor a secret. */
export function sendOAuthError(
  res: Response,
  status: number,
  error: OAuthError | string,
  description: string,
): void {
  noStore(res)
  if (status === 401) {
    // RFC 6749 §5.2: invalid_client answered with 401 carries a challenge for the client's scheme.
    res.setHeader('www-authenticate', `Basic realm="${REALM}", charset="UTF-8"`)
  }
  res.status(status).json({ error, error_description: description })
}

/** Sends the error of a failed client authentication, with `Retry-After` on a lockout. */
export function sendClientAuthError(
  res: Response,
  result: Extract<ClientAuthResult, { ok: false }>,
): void {
  if (result.retryAfter !== undefined) res.setHeader('retry-after', String(result.retryAfter))
  sendOAuthError(res, result.status, result.error, result.description)
}
