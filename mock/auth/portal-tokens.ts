import type { TokenOptions } from '../options.js'
import { MONTH } from '../options.js'
import type { Store } from '../store/store.js'
import { parseDuration, type SandboxClock } from '../clock/clock.js'
import type { AuthEvents } from './auth-events.js'
import { authModesOf, type ClientRegistry } from './client-registry.js'
import { issueToken } from './issue-token.js'
import type { KeyRing } from './signing-keys.js'
import type { TokenState } from './token-state.js'

/** A portal token as the sandbox remembers it: never the token itself, only its `jti` and facts. */
export interface PortalTokenRecord {
  jti: string
  clientId: string
  scopes: string[]
  label?: string
  /** Sandbox-clock ms. */
  issuedAt: number
  expiresAt: number
  /** Sandbox-clock ms, once revoked. */
  revokedAt?: number
  /** Who minted it: the admin, or the client itself (the console). */
  by: 'admin' | 'client'
}

export interface MintRequest {
  /** Seconds; default `tokens.portalLifetime`. */
  lifetime?: number
  /** A subset of the client's privileges; default: all of them. */
  scopes?: string[]
  label?: string
  by: 'admin' | 'client'
  ip: string
}

export type MintResult =
  | { ok: true; token: string; record: PortalTokenRecord }
  | { ok: false; status: 400 | 404 | 409; detail: string }

/**
 * API Entreprise's token model: the portal hands a reuser a long-lived JWT listing its privileges,
 * shown once; the reuser configures its client with it. Here an admin (or the console, for the
 * client itself) mints one for a client; it is listed by `jti`, revocable, kept in the client's scope
 * of the store (so it survives restarts with a persistent store) and journaled like any token.
 */
export interface PortalTokens {
  mint(clientId: string, request: MintRequest): Promise<MintResult>
  /** Newest first, revoked ones included until they expire. */
  list(clientId: string): Promise<PortalTokenRecord[]>
  /** Resolves the revoked record, or `undefined` when the client has no such token. */
  revoke(clientId: string, jti: string, ip: string): Promise<PortalTokenRecord | undefined>
}

export interface PortalTokenDeps {
  keys: KeyRing
  claims: { readonly issuer: string; readonly audience: string }
  clients: ClientRegistry
  clock: SandboxClock
  state: TokenState
  store: Store
  events: AuthEvents
  tokens: TokenOptions
  /** Real time, ms. */
  now: () => number
}

const NS = 'portal-tokens'
/** Records outlive their token by a day, so a revoked or expired one can still be looked up. */
const KEEP = 86_400_000 // ms

/**
 * Parses a portal-token lifetime: seconds (a number), or `18mo`, `2y`, `90d`, `12h`, `1y6mo`
 * (a month is a twelfth of a Julian year). Returns seconds, or `undefined` when unreadable.
 */
export function parseLifetime(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined
  if (typeof value !== 'string') return undefined
  let rest = value.trim().toLowerCase()
  if (!rest) return undefined
  let total = 0
  while (rest) {
    const m = /^(\d+)(y|mo)/.exec(rest)
    if (m) {
      total += Number(m[1]) * (m[2] === 'y' ? 12 * MONTH : MONTH)
      rest = rest.slice(m[0].length)
      continue
    }
    const ms = parseDuration(rest)
    if (ms === undefined) return undefined
    total += Math.round(ms / 1000)
    rest = ''
  }
  return total > 0 ? total : undefined
}

export function createPortalTokens(d: PortalTokenDeps): PortalTokens {
  const keep = (expiresAt: number): number => Math.max(0, expiresAt - d.now()) + KEEP
  return {
    async mint(clientId, request) {
      const client = await d.clients.get(clientId)
      if (!client)
        return {
          ok: false,
          status: 404,
          detail: `No client ${clientId}. GET /__sandbox/clients lists them.`,
        }
      if (!authModesOf(client).includes('portal_token'))
        return {
          ok: false,
          status: 409,
          detail: `Client ${clientId} may not use portal tokens (auth_mode ${authModesOf(client).join(', ')}); add portal_token to its auth_mode first.`,
        }
      const max = d.tokens.portalMaxLifetime
      const lifetime = request.lifetime ?? d.tokens.portalLifetime
      if (lifetime < 1 || lifetime > max)
        return {
          ok: false,
          status: 400,
          detail: `lifetime must be from 1 s to ${max} s (${Math.floor(max / MONTH)} months, the sandbox's tokens.portalMaxLifetime)`,
        }
      const scopes = request.scopes ?? [...client.privileges]
      const foreign = scopes.filter((s) => !client.privileges.includes(s))
      if (foreign.length)
        return {
          ok: false,
          status: 400,
          detail: `privileges ${foreign.join(', ')} are not the client's (${client.privileges.join(', ') || 'none'})`,
        }
      const now = await d.clock.now(clientId)
      const issued = await issueToken(d.keys, d.claims, {
        clientId,
        scopes,
        lifetime,
        singleUse: false,
        now,
        portal: true,
        generation: client.generation,
      })
      const record: PortalTokenRecord = {
        jti: issued.claims.jti,
        clientId,
        scopes,
        ...(request.label ? { label: request.label } : {}),
        issuedAt: issued.claims.iat * 1000,
        expiresAt: issued.claims.exp * 1000,
        by: request.by,
      }
      await d.store.scope(clientId).set(NS, record.jti, record, keep(record.expiresAt))
      d.events.emit({
        type: 'token',
        clientId,
        jti: record.jti,
        scopes,
        singleUse: false,
        expiresAt: record.expiresAt,
        ip: request.ip,
        model: 'portal_token',
        at: d.now(),
      })
      return { ok: true, token: issued.token, record }
    },
    async list(clientId) {
      const all = await d.store.scope(clientId).entries<PortalTokenRecord>(NS)
      return all.map(([, r]) => r).sort((a, b) => b.issuedAt - a.issuedAt)
    },
    async revoke(clientId, jti, ip) {
      const scope = d.store.scope(clientId)
      const record = await scope.get<PortalTokenRecord>(NS, jti)
      if (!record) return undefined
      if (record.revokedAt !== undefined) return record
      const next = { ...record, revokedAt: await d.clock.now(clientId) }
      await d.state.revoke(clientId, jti, record.expiresAt)
      await scope.set(NS, jti, next, keep(record.expiresAt))
      d.events.emit({
        type: 'revocation',
        clientId,
        ip,
        what: 'token',
        jti,
        at: d.now(),
      })
      return next
    },
  }
}

/** A portal token as the admin API lists it (never the token). */
export function portalTokenView(r: PortalTokenRecord): Record<string, unknown> {
  return {
    jti: r.jti,
    client_id: r.clientId,
    privileges: r.scopes,
    ...(r.label ? { label: r.label } : {}),
    issued_at: new Date(r.issuedAt).toISOString(),
    expires_at: new Date(r.expiresAt).toISOString(),
    revoked: r.revokedAt !== undefined,
    ...(r.revokedAt !== undefined ? { revoked_at: new Date(r.revokedAt).toISOString() } : {}),
    minted_by: r.by,
  }
}
