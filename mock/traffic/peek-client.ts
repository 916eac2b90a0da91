import type { IncomingMessage } from 'node:http'
import { LRUCache } from 'lru-cache'

/**
 * The client id a request claims, read without verifying anything: the user of `Basic` credentials,
 * or the `client_id` (else `sub`) claim of a JWT bearer token. Used only to hold a banned client's
 * connection before authentication: a forged claim can only get its own connection held, and an
 * unverified claim never grants anything, since `authenticate` still runs for every request that
 * is let through.
 */
export function peekClientId(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization
  if (!header) return undefined
  // A client sends the same header on every call until its token changes: decode it once.
  const known = peeked.get(header)
  if (known !== undefined) return known || undefined
  const id = decodeClientId(header)
  peeked.set(header, id ?? '')
  return id
}

/**
 * Recently decoded Authorization headers ('' for "no client id in it"): a hit costs one string hash
 * instead of base64 and JSON decoding.
 */
const peeked = new LRUCache<string, string>({ max: 10_000 })

function decodeClientId(header: string): string | undefined {
  const space = header.indexOf(' ')
  const scheme = header.slice(0, space).toLowerCase()
  const value = header.slice(space + 1).trim()
  try {
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      // RFC 6749 §2.3.1: the client id is form-urlencoded inside Basic credentials.
      return colon > 0 ? decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')) : undefined
    }
    if (scheme === 'bearer') {
      const payload = value.split('.')[1]
      if (!payload) return undefined
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >
      const id = claims.client_id ?? claims.sub
      return typeof id === 'string' && id ? id : undefined
    }
  } catch {
    // Not decodable: authentication will answer for it.
  }
  return undefined
}
