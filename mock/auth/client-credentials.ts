import type { IncomingHttpHeaders } from 'node:http'

/** Client credentials as presented, by one of the two methods RFC 6749 §2.3.1 defines. */
export interface ClientCredentials {
  clientId: string
  /** Candidate secrets to try in order: the form-decoded value, then the raw one if it differs. */
  secrets: string[]
  method: 'client_secret_basic' | 'client_secret_post'
}

export type CredentialsRead =
  | { kind: 'none' }
  | { kind: 'ok'; credentials: ClientCredentials }
  | { kind: 'invalid'; description: string }

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/** Form-url-decoding (RFC 6749 §2.3.1 asks it inside Basic); `undefined` on a bad `%` sequence. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch {
    return undefined
  }
}

function readBasic(header: string): CredentialsRead {
  const encoded = header.slice(6).trim()
  if (!BASE64.test(encoded))
    return { kind: 'invalid', description: 'the Basic credentials are not valid base64' }
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0)
    return {
      kind: 'invalid',
      description: 'the Basic credentials must read "client_id:client_secret"',
    }
  const rawId = decoded.slice(0, colon)
  const rawSecret = decoded.slice(colon + 1)
  const clientId = formDecode(rawId) ?? rawId
  // Many clients skip the form-encoding RFC 6749 asks for: a secret with `+` or `%` is tried both ways.
  const decodedSecret = formDecode(rawSecret)
  const secrets =
    decodedSecret !== undefined && decodedSecret !== rawSecret
      ? [decodedSecret, rawSecret]
      : [rawSecret]
  return { kind: 'ok', credentials: { clientId, secrets, method: 'client_secret_basic' } }
}

/**
 * Reads client credentials from `Authorization: Basic` or from `client_id` / `client_secret` in an
 * already-parsed body (form or JSON). Both at once is an `invalid_request` (RFC 6749 §2.3: one method
 * per request).
 */
export function readClientCredentials(
  headers: IncomingHttpHeaders,
  body: unknown,
): CredentialsRead {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  const postId = fields.client_id
  const postSecret = fields.client_secret
  const auth = headers.authorization
  if (auth !== undefined && /^basic /i.test(auth)) {
    if (postSecret !== undefined) {
      return {
        kind: 'invalid',
        description:
          'use one client authentication method: Basic or client_secret in the body, not both',
      }
    }
    const basic = readBasic(auth)
    if (basic.kind === 'ok' && postId !== undefined && postId !== basic.credentials.clientId) {
      return {
        kind: 'invalid',
        description: 'client_id in the body differs from the Basic credentials',
      }
    }
    return basic
  }
  if (postId === undefined && postSecret === undefined) return { kind: 'none' }
  if (typeof postId !== 'string' || !postId || typeof postSecret !== 'string' || !postSecret) {
    return {
      kind: 'invalid',
      description: 'client_secret_post needs both client_id and client_secret, once each',
    }
  }
  return {
    kind: 'ok',
    credentials: { clientId: postId, secrets: [postSecret], method: 'client_secret_post' },
  }
}
