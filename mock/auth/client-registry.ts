import { randomBytes } from 'node:crypto'
import type { AccountStatusInfo } from './account-status.js'
import type { Store } from '../store/store.js'
import type { SandboxClock } from '../clock/clock.js'
import { generateSecret, hashSecret, type PreparedSecret } from './secret-hash.js'

/** A sandbox client as stored. The secret itself is never stored: only its scrypt hash. */
export interface SandboxClient {
  clientId: string
  label: string
  /** The SIRET of the organisation the client belongs to (one per account, as at the Douane). */
  siret: string
  /** Privileges (scopes) the client may ask tokens for. */
  privileges: string[]
  /** Lifetime of its access tokens, seconds. */
  tokenLifetime: number
  /** Every token is single-use: the first API call consumes it. */
  singleUse: boolean
  /** May call the API with HTTP Basic (client id + secret), which is accepted but not recommended. */
  basicAuth: boolean
  /**
   * The token models the client may use: `oauth` (client credentials at `/oauth/token`),
   * `portal_token` (long-lived JWTs minted by the admin), `basic` (kept in step with `basicAuth`).
   * Absent on clients stored before it existed: see {@link authModesOf}.
   */
  authModes?: AuthMode[]
  /** scrypt hash of the current secret; `null` once the secret has been revoked. */
  secretHash: string | null
  /** When the current secret stops working, sandbox-clock ms. */
  secretExpiresAt: number
  /** The secret replaced by the last rotation, still accepted until `validUntil` (sandbox-clock ms). */
  previous?: { hash: string; validUntil: number }
  /**
   * Random id of this incarnation of the client id, carried by its tokens (`client_gen`): a client
   * deleted then created again under the same id is another identity, and the old tokens are
   * refused. Absent on clients stored before it existed.
   */
  generation?: string
  /** Real time, ms. */
  createdAt: number
  updatedAt: number
}

/** A token model production uses: the Douane's OAuth2, API Entreprise's portal token, CYNOD's Basic. */
export type AuthMode = 'oauth' | 'portal_token' | 'basic'
export const AUTH_MODES: readonly AuthMode[] = ['oauth', 'portal_token', 'basic']

/** The models a client may use (a client stored without `authModes`: OAuth, portal, and Basic if allowed). */
export function authModesOf(client: Pick<SandboxClient, 'authModes' | 'basicAuth'>): AuthMode[] {
  if (client.authModes) return client.authModes
  return client.basicAuth ? ['oauth', 'portal_token', 'basic'] : ['oauth', 'portal_token']
}

/** What an admin may set on a client. */
export type ClientSettings = Pick<
  SandboxClient,
  'label' | 'siret' | 'privileges' | 'tokenLifetime' | 'singleUse' | 'basicAuth'
> & { secretExpiresAt?: number; authModes?: AuthMode[] }

const NS = 'clients'

/**
 * The client registry, kept in the store's global scope (namespace `clients`), so that every replica
 * sees the same clients. Read-modify-write updates are not atomic: admin changes are rare and human.
 */
export interface ClientRegistry {
  get(clientId: string): Promise<SandboxClient | undefined>
  /** {@link get} read at once, where the store is local (the embedded store); absent on Redis. */
  readonly getAtOnce?: (clientId: string) => SandboxClient | undefined
  list(): Promise<SandboxClient[]>
  /**
   * Creates a client; `secret` defaults to a random one (given prepared, its hash is the one made
   * meanwhile). Resolves `undefined` when the id is taken.
   */
  create(
    clientId: string,
    settings: ClientSettings,
    secret?: string | PreparedSecret,
  ): Promise<{ client: SandboxClient; secret: string } | undefined>
  update(clientId: string, patch: Partial<ClientSettings>): Promise<SandboxClient | undefined>
  /** Removes the client and everything in its scope of the store. */
  remove(clientId: string): Promise<boolean>
  /** Replaces the secret; the old one keeps working for `overlapMs` (0: stops at once). */
  rotateSecret(
    clientId: string,
    overlapMs: number,
    secret?: string | PreparedSecret,
  ): Promise<{ client: SandboxClient; secret: string } | undefined>
  /** Revokes the current and previous secrets: the client can no longer authenticate. */
  revokeSecret(clientId: string): Promise<SandboxClient | undefined>
}

export interface ClientRegistryOptions {
  store: Store
  clock: SandboxClock
  /** Lifetime of a new secret, ms. */
  secretLifetimeMs: number
  /** Real time, ms. */
  now: () => number
}

/**
 * When the client now holding `clientId` was created (real time, ms), or `undefined`: the journal's
 * bound, so that a client id given again never shows the earlier client's entries.
 */
export const clientSince =
  (store: Store) =>
  async (clientId: string): Promise<number | undefined> =>
    (await store.global.get<SandboxClient>(NS, clientId))?.createdAt

/** The secret to give and its hash: the one chosen or prepared, else a fresh random one. */
async function secretAndHash(
  chosen: string | PreparedSecret | undefined,
): Promise<{ secret: string; hash: string }> {
  if (typeof chosen === 'object') return { secret: chosen.secret, hash: await chosen.hash }
  const secret = chosen ?? generateSecret()
  return { secret, hash: await hashSecret(secret) }
}

/** A client's models with Basic present exactly when `basicAuth` says so. */
function syncModes(modes: AuthMode[] | undefined, basicAuth: boolean): AuthMode[] {
  const base = (modes ?? ['oauth', 'portal_token']).filter((m) => m !== 'basic')
  return basicAuth ? [...base, 'basic'] : base
}

/** Builds the registry on the store. */
export function createClientRegistry(o: ClientRegistryOptions): ClientRegistry {
  const scope = o.store.global
  const get = (id: string): Promise<SandboxClient | undefined> => scope.get<SandboxClient>(NS, id)
  const save = async (client: SandboxClient): Promise<SandboxClient> => {
    await scope.set(NS, client.clientId, client)
    return client
  }
  const local = scope.local
  return {
    get,
    ...(local && { getAtOnce: (id: string) => local.get<SandboxClient>(NS, id) }),
    list: async () =>
      (await scope.entries<SandboxClient>(NS))
        .map(([, c]) => c)
        .sort((a, b) => a.createdAt - b.createdAt || a.clientId.localeCompare(b.clientId)),
    create: async (clientId, settings, chosen) => {
      const { secret, hash } = await secretAndHash(chosen)
      const now = o.now()
      const sandboxNow = await o.clock.now(clientId)
      const client: SandboxClient = {
        clientId,
        label: settings.label,
        siret: settings.siret,
        privileges: [...settings.privileges],
        tokenLifetime: settings.tokenLifetime,
        singleUse: settings.singleUse,
        basicAuth: settings.basicAuth,
        authModes: syncModes(settings.authModes, settings.basicAuth),
        secretHash: hash,
        secretExpiresAt: settings.secretExpiresAt ?? sandboxNow + o.secretLifetimeMs,
        generation: randomBytes(9).toString('base64url'),
        createdAt: now,
        updatedAt: now,
      }
      // setIfAbsent: two admins creating the same id at once get one client and one 409.
      if (!(await scope.setIfAbsent(NS, clientId, client))) return undefined
      return { client, secret }
    },
    update: async (clientId, patch) => {
      const client = await get(clientId)
      if (!client) return undefined
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))
      const next: SandboxClient = { ...client, ...defined, updatedAt: o.now() }
      // `auth_mode` and `basic_auth` say the same about Basic: the one given wins, the other follows.
      if (patch.authModes) next.basicAuth = patch.authModes.includes('basic')
      else if (patch.basicAuth !== undefined)
        next.authModes = syncModes(authModesOf(client), patch.basicAuth)
      return save(next)
    },
    remove: async (clientId) => {
      const existed = await scope.delete(NS, clientId)
      await o.store.scope(clientId).clear()
      return existed
    },
    rotateSecret: async (clientId, overlapMs, chosen) => {
      const client = await get(clientId)
      if (!client) return undefined
      const { secret, hash } = await secretAndHash(chosen)
      const sandboxNow = await o.clock.now(clientId)
      const previousUntil = Math.min(sandboxNow + overlapMs, client.secretExpiresAt)
      const next: SandboxClient = {
        ...client,
        secretHash: hash,
        secretExpiresAt: sandboxNow + o.secretLifetimeMs,
        updatedAt: o.now(),
      }
      delete next.previous
      if (client.secretHash && overlapMs > 0 && previousUntil > sandboxNow) {
        next.previous = { hash: client.secretHash, validUntil: previousUntil }
      }
      return { client: await save(next), secret }
    },
    revokeSecret: async (clientId) => {
      const client = await get(clientId)
      if (!client) return undefined
      const next: SandboxClient = { ...client, secretHash: null, updatedAt: o.now() }
      delete next.previous
      return save(next)
    },
  }
}

/** The client as the admin API shows it: never the hash, dates in ISO 8601, snake_case names. */
export function clientView(
  client: SandboxClient,
  status: AccountStatusInfo,
): Record<string, unknown> {
  return {
    client_id: client.clientId,
    label: client.label,
    siret: client.siret,
    privileges: client.privileges,
    // The Douane's account colours (account-status.ts): red, yellow when its holder must act, green.
    status: status.status,
    ...(status.reason ? { status_reason: status.reason } : {}),
    token_lifetime: client.tokenLifetime,
    single_use: client.singleUse,
    basic_auth: client.basicAuth,
    auth_mode: authModesOf(client),
    secret_revoked: client.secretHash === null,
    secret_expires_at: new Date(client.secretExpiresAt).toISOString(),
    ...(client.previous
      ? { previous_secret_valid_until: new Date(client.previous.validUntil).toISOString() }
      : {}),
    created_at: new Date(client.createdAt).toISOString(),
    updated_at: new Date(client.updatedAt).toISOString(),
  }
}
