import { hash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
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
  // A kept-alive connection carries the same header call after call: compared, not digested again.
  const socket = req.socket as Socket | null | undefined
  if (!socket) return peekHeader(header)
  const last = lastOnSocket.get(socket)
  if (last !== undefined && last.header === header) return last.id
  const id = peekHeader(header)
  lastOnSocket.set(socket, { header, id })
  return id
}

/**
 * The last Authorization header each open connection sent and what it names: one per connection,
 * gone with it.
 */
const lastOnSocket = new WeakMap<Socket, { header: string; id: string | undefined }>()

function peekHeader(header: string): string | undefined {
  // A client sends the same header on every call until its token changes: decode it once. The
  // cache is keyed by a digest, never the header: anyone can send 10,000 distinct 16 KiB headers.
  const key = hash('sha256', header, 'base64url')
  const known = peeked.get(key)
  if (known !== undefined) return known || undefined
  const decoded = decodeClientId(header)
  // A claimed id is attacker-chosen too: a long one names no client (ids are 3 to 64 characters).
  const id = decoded !== undefined && decoded.length <= MAX_KEPT_ID ? decoded : undefined
  peeked.set(key, id ?? '')
  return id
}

/**
 * Recently decoded Authorization headers, by SHA-256 digest ('' for "no client id in it"): a hit costs
 * one digest instead of base64 and JSON decoding. At most 10,000 entries of about 150 bytes.
 */
const peeked = new LRUCache<string, string>({ max: 10_000 })

/** Longest client id the cache keeps (client ids are 3 to 64 characters). */
const MAX_KEPT_ID = 128

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
