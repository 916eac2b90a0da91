import type { IncomingMessage } from 'node:http'
import { lazyLru } from '../lazy-cache.js'
import type { SandboxClock } from '../clock/clock.js'
import type { AuthEvents } from './auth-events.js'
import type { ClientRegistry, SandboxClient } from './client-registry.js'
import { readClientCredentials, type ClientCredentials } from './client-credentials.js'
import type { Lockout } from './lockout.js'
import { fingerprint, hashSecret, verifySecret } from './secret-hash.js'
import { clientIpOf } from '../http/client-ip.js'

/** The outcome of a client authentication, with its RFC 6749 §5.2 error when it failed. */
export type ClientAuthResult =
  | { ok: true; client: SandboxClient; method: ClientCredentials['method'] }
  | {
      ok: false
      /** 400 `invalid_request` / `invalid_grant`, 401 `invalid_client`, 429 when locked out. */
      status: 400 | 401 | 429
      error: 'invalid_request' | 'invalid_client' | 'invalid_grant'
      description: string
      /** Seconds, when locked out. */
      retryAfter?: number
      /** True when the request carried no credentials at all. */
      missing?: boolean
    }

/** Where the attempt came from, for the lockout and the journal. */
export interface AttemptContext {
  ip: string
  endpoint: string
  origin?: string
}

export interface ClientAuthenticator {
  /**
   * Reads credentials (Basic, or the fields of `body`: by default the request's parsed body) and
   * checks them; `null` reads Basic alone.
   */
  fromRequest(
    req: IncomingMessage & { body?: unknown },
    endpoint: string,
    body?: unknown,
  ): Promise<ClientAuthResult>
  /** Checks credentials already read. */
  check(credentials: ClientCredentials, attempt: AttemptContext): Promise<ClientAuthResult>
}

export interface ClientAuthenticatorDeps {
  clients: ClientRegistry
  lockout: Lockout
  clock: SandboxClock
  events: AuthEvents
  now: () => number
  /** Whether the address comes from `X-Forwarded-For` (see `clientIpOf`). */
  trustProxy: boolean
}

/** A hash of a random secret, made once: what an unknown client id is checked against. */
let dummy: Promise<string> | undefined
const dummyHash = (): Promise<string> =>
  (dummy ??= hashSecret(`Unknown-${Math.random().toString(36)}-Client-1!`))

const invalidClient = (description: string): ClientAuthResult => ({
  ok: false,
  status: 401,
  error: 'invalid_client',
  description,
})

/**
 * Client authentication for `/oauth/*`, Basic API calls and client self-service admin routes: lockout
 * first (a locked client id is refused even with the right secret), then the scrypt check. Right
 * answers are cached by a hash of (stored hash, secret) so Basic API calls do not pay scrypt each
 * time; a rotation or revocation changes the stored hash, so the cache never outlives a secret.
 */
export function createClientAuthenticator(d: ClientAuthenticatorDeps): ClientAuthenticator {
  // A secret in use stays verified while it is used (each use renews it); a rotation or a revocation
  // changes the stored hash, so an entry never outlives its secret.
  const verified = lazyLru<string, true>({ max: 1000, ttl: 300_000, updateAgeOnGet: true })
  /** True when one of `secrets` was verified against `hash` lately: no scrypt needed. */
  const known = (secrets: string[], hash: string | null | undefined): boolean =>
    !!hash && secrets.some((s) => verified().get(fingerprint(`${hash}\u0000${s}`)) === true)
  const matches = async (secret: string, hash: string): Promise<boolean> => {
    const key = fingerprint(`${hash}\u0000${secret}`)
    if (verified().get(key)) return true
    const ok = await verifySecret(secret, hash)
    if (ok) verified().set(key, true)
    return ok
  }
  const matchesAny = async (secrets: string[], hash: string): Promise<boolean> => {
    for (const s of secrets) if (await matches(s, hash)) return true
    return false
  }

  const failed = async (
    clientId: string,
    reason: string,
    a: AttemptContext,
  ): Promise<ClientAuthResult> => {
    d.events.emit({
      type: 'failure',
      clientId,
      ip: a.ip,
      reason,
      endpoint: a.endpoint,
      ...(a.origin ? { origin: a.origin } : {}),
      at: d.now(),
    })
    const locked = await d.lockout.fail(clientId, a.ip)
    if (locked > 0) {
      d.events.emit({
        type: 'lockout',
        clientId,
        ip: a.ip,
        until: (await d.clock.now(clientId)) + locked * 1000,
        at: d.now(),
      })
    }
    return invalidClient(
      'client authentication failed: unknown client, wrong secret, or revoked secret',
    )
  }

  const check = async (c: ClientCredentials, a: AttemptContext): Promise<ClientAuthResult> => {
    /** A 429 before any secret check, journaled as a failure with its reason. */
    const refusedFor = (
      reason: 'locked' | 'address-limited',
      description: string,
      retryAfter: number,
    ): ClientAuthResult => {
      d.events.emit({
        type: 'failure',
        clientId: c.clientId,
        ip: a.ip,
        reason,
        endpoint: a.endpoint,
        at: d.now(),
      })
      return { ok: false, status: 429, error: 'invalid_client', description, retryAfter }
    }
    const left = await d.lockout.remaining(c.clientId, a.ip)
    if (left > 0) {
      return refusedFor(
        'locked',
        `too many failed authentications of this client from this address; retry in ${left} s`,
        left,
      )
    }
    const client = await d.clients.get(c.clientId)
    const crowded = await d.lockout.addressRemaining(a.ip)
    if (
      crowded > 0 &&
      !known(c.secrets, client?.secretHash) &&
      !known(c.secrets, client?.previous?.hash)
    ) {
      // This address spent its budget of failures (a flood of guesses, made-up ids): only a
      // credential verified before passes, and nothing else costs a secret check until it ends.
      return refusedFor(
        'address-limited',
        `too many failed authentications from this address; retry in ${crowded} s`,
        crowded,
      )
    }
    if (!client) {
      // The same scrypt as a wrong secret costs: an unknown client id is not told apart by timing.
      await verifySecret(c.secrets[0] ?? '', await dummyHash())
      return failed(c.clientId, 'unknown-client', a)
    }
    if (!client.secretHash) return failed(c.clientId, 'secret-revoked', a)
    const now = await d.clock.now(client.clientId)
    if (await matchesAny(c.secrets, client.secretHash)) {
      if (client.secretExpiresAt <= now) {
        // The right secret, expired: not an attack, so not counted towards the lockout.
        d.events.emit({
          type: 'failure',
          clientId: c.clientId,
          ip: a.ip,
          reason: 'secret-expired',
          endpoint: a.endpoint,
          at: d.now(),
        })
        return {
          ok: false,
          status: 400,
          error: 'invalid_grant',
          description: `the client secret expired on ${new Date(client.secretExpiresAt).toISOString()}; ask the sandbox admin to rotate it`,
        }
      }
      return { ok: true, client, method: c.method }
    }
    const prev = client.previous
    if (prev && prev.validUntil > now && (await matchesAny(c.secrets, prev.hash))) {
      return { ok: true, client, method: c.method }
    }
    return failed(c.clientId, 'bad-secret', a)
  }

  return {
    check,
    fromRequest: async (req, endpoint, body = req.body) => {
      const read = readClientCredentials(req.headers, body)
      if (read.kind === 'none') {
        return {
          ...invalidClient(
            'client authentication required: Basic, or client_id and client_secret in the body',
          ),
          missing: true,
        }
      }
      if (read.kind === 'invalid')
        return { ok: false, status: 400, error: 'invalid_request', description: read.description }
      const origin = req.headers.origin
      return check(read.credentials, {
        ip: clientIpOf(req, d.trustProxy),
        endpoint,
        ...(origin ? { origin } : {}),
      })
    },
  }
}
