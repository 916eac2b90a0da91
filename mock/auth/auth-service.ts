import type { IncomingMessage } from 'node:http'
import type { Contract, Operation } from '../contract/types.js'
import { luhnComplete } from '../data/identifiers.js'
import type { ResolvedOptions } from '../options.js'
import type { Store } from '../store/store.js'
import type { SandboxClock } from '../clock/clock.js'
import { createAuthEvents, type AuthEvents } from './auth-events.js'
import {
  createClientAuthenticator,
  type ClientAuthenticator,
  type ClientAuthResult,
} from './authenticate-client.js'
import { createTokenCheck, type TokenCheck } from './check-token.js'
import {
  createClientRegistry,
  type ClientRegistry,
  type ClientSettings,
  type SandboxClient,
} from './client-registry.js'
import { issueToken, type AccessClaims } from './issue-token.js'
import { createLockout, type Lockout } from './lockout.js'
import {
  knownPrivileges,
  loadPrivilegeMap,
  requiredPrivileges,
  type PrivilegeMap,
} from './privilege-map.js'
import { createKeySealer } from './sealed-key.js'
import { drawDemoSecret, type PreparedSecret } from './secret-hash.js'
import { openKeyRing, type KeyRing } from './signing-keys.js'
import { createTokenState, type TokenState } from './token-state.js'
import { createTokenVerifier, type Verification } from './verify-token.js'
import { createPortalTokens, type PortalTokens } from './portal-tokens.js'
import type { PublicBase } from '../http/public-base.js'

/** The demo client made at start-up; its secret is new at every start (see docs/auth.md). */
export interface DemoClient {
  clientId: string
  clientSecret: string
  privileges: string[]
}

/** Authentication as the rest of the sandbox sees it (`ctx.auth`). */
export interface AuthService {
  readonly clients: ClientRegistry
  readonly keys: KeyRing
  /** Journal hook: `ctx.auth.events.on('failure' | 'token' | ... | '*', listener)`. */
  readonly events: AuthEvents
  readonly lockout: Lockout
  readonly tokens: TokenState
  /** Portal tokens (API Entreprise's model): minted, listed and revoked per client. */
  readonly portal: PortalTokens
  /** Every privilege the contract and mapping files know of, sorted. */
  readonly privileges: readonly string[]
  /** Made at start-up when `options.demoClient` is on. */
  readonly demoClient?: DemoClient
  /**
   * Client credentials by Basic or by `client_id` / `client_secret` in an already-parsed body (the
   * request's own by default; `null` to read Basic alone).
   */
  authenticateClient(
    req: IncomingMessage & { body?: unknown },
    endpoint?: string,
    body?: unknown,
  ): Promise<ClientAuthResult>
  readonly checkClient: ClientAuthenticator['check']
  getClient(clientId: string): Promise<SandboxClient | undefined>
  /** Settings of a new client where the admin gave none. */
  defaultSettings(): ClientSettings
  /** Signs a token for an authenticated client, records it and tells the journal. */
  issue(
    client: SandboxClient,
    grant: {
      scopes: string[]
      singleUse: boolean
      ip: string
      origin?: string
      answerBytes?: Promise<number>
    },
  ): Promise<{ token: string; claims: AccessClaims }>
  /** Signature and fixed claims only (cached). */
  verify(token: string): Promise<Verification>
  /**
   * Full check without consuming: signature, client, revocation, times on the client's clock. At
   * once (no promise) for a token cached, where the store is local.
   */
  check(token: string, realNow: number): TokenCheck | Promise<TokenCheck>
  /** The privileges an operation needs, any one being enough; `[]`: any valid token. */
  requiredPrivileges(op: Operation): readonly string[]
  /** Revokes a client's secrets and every live token it holds. Resolves the number of tokens revoked. */
  revokeSecret(clientId: string, ip: string): Promise<number | undefined>
  /** The secret-expiry notice (an HTTP date) when the secret expires within the notice period. */
  secretNotice(client: SandboxClient, sandboxNow: number): string | undefined
}

export interface AuthServiceDeps {
  options: ResolvedOptions
  contract: Contract
  store: Store
  clock: SandboxClock
  /** The advertised base URL: token `iss`. */
  base: PublicBase
  /**
   * Every API served when there are several (the main one first): each has its own privilege map
   * and field scopes; one client registry and one token serve them all.
   */
  apis?: ReadonlyArray<{
    name: string
    contract: Contract
    privileges?: string
    fieldScopes?: string
  }>
}

/** Id of the client made at start-up. */
export const DEMO_CLIENT_ID = 'demo'

/** Loads keys and the privilege map, and makes the demo client. */
export async function createAuthService({
  options,
  contract,
  store,
  clock,
  base,
  apis,
}: AuthServiceDeps): Promise<AuthService> {
  const { tokens } = options
  const map = await loadPrivilegeMap(options.privileges, options.log)
  const privileges = await knownPrivileges(contract, map, options.fieldScopes)
  // Several APIs: operation ids are unique within one API only, so each has its own map.
  const maps = new Map<string, PrivilegeMap>()
  for (const [i, api] of (apis ?? []).entries()) {
    const own =
      i === 0
        ? map
        : api.privileges
          ? await loadPrivilegeMap(api.privileges, options.log)
          : new Map()
    maps.set(api.name, own)
    if (i > 0)
      for (const p of await knownPrivileges(api.contract, own, api.fieldScopes ?? ''))
        if (!privileges.includes(p)) privileges.push(p)
  }
  privileges.sort()
  const mapOf = (op: Operation): PrivilegeMap =>
    (op.api !== undefined ? maps.get(op.api) : undefined) ?? map
  // A retired key keeps verifying until the longest token it signed has expired: a day for OAuth
  // tokens, the portal token's own lifetime for a key that signed one.
  const keys = await openKeyRing(store, tokens, options.now, createKeySealer(options.stateKey))
  const events = createAuthEvents(options.log)
  const clients = createClientRegistry({
    store,
    clock,
    secretLifetimeMs: tokens.secretLifetime * 1000,
    now: options.now,
  })
  const lockout = createLockout(store, clock, options.lockout, options.now)
  const state = createTokenState(store, options.now)
  // The issuer is read at each signature: it follows the listening address unless configured.
  const claims = {
    get issuer() {
      return base.url
    },
    audience: tokens.audience,
  }
  const verify = createTokenVerifier(keys, {
    issuer: base.isOwn,
    audience: tokens.audience,
    now: options.now,
  })
  const authenticator = createClientAuthenticator({
    clients,
    lockout,
    clock,
    events,
    now: options.now,
    trustProxy: options.trustProxy,
  })
  const noticeMs = tokens.secretExpiryNoticeDays * 86_400_000

  const defaultSettings = (): ClientSettings => ({
    label: 'Sandbox client',
    siret: luhnComplete('9000000000001'),
    privileges: [],
    tokenLifetime: tokens.lifetime,
    singleUse: false,
    basicAuth: false,
  })

  const service: AuthService = {
    clients,
    keys,
    events,
    lockout,
    tokens: state,
    portal: createPortalTokens({
      keys,
      claims,
      clients,
      clock,
      state,
      store,
      events,
      tokens,
      now: options.now,
    }),
    privileges,
    authenticateClient: (req, endpoint = 'admin', body = req.body) =>
      authenticator.fromRequest(req, endpoint, body),
    checkClient: authenticator.check,
    getClient: clients.get,
    defaultSettings,
    issue: async (client, grant) => {
      const now = await clock.now(client.clientId)
      const lifetime = client.tokenLifetime
      const issued = await issueToken(keys, claims, {
        clientId: client.clientId,
        scopes: grant.scopes,
        lifetime,
        singleUse: grant.singleUse,
        now,
        generation: client.generation,
      })
      const expiresAt = issued.claims.exp * 1000
      await state.track(client.clientId, issued.claims.jti, expiresAt)
      events.emit({
        type: 'token',
        clientId: client.clientId,
        jti: issued.claims.jti,
        scopes: grant.scopes,
        singleUse: grant.singleUse,
        expiresAt,
        ip: grant.ip,
        ...(grant.origin ? { origin: grant.origin } : {}),
        ...(grant.answerBytes ? { answerBytes: grant.answerBytes } : {}),
        at: options.now(),
      })
      return issued
    },
    verify: async (token) => verify(token),
    check: createTokenCheck({
      verify,
      clients,
      clock,
      state,
      skewS: tokens.clockSkew,
      portalMaxLifetimeS: tokens.portalMaxLifetime,
    }),
    requiredPrivileges: (op) => requiredPrivileges(op, mapOf(op)),
    revokeSecret: async (clientId, ip) => {
      if (!(await clients.revokeSecret(clientId))) return undefined
      const count = await state.revokeAll(clientId)
      events.emit({
        type: 'revocation',
        clientId,
        ip,
        what: 'secret',
        tokens: count,
        at: options.now(),
      })
      return count
    },
    secretNotice: (client, sandboxNow) =>
      client.secretHash && client.secretExpiresAt - sandboxNow <= noticeMs
        ? new Date(client.secretExpiresAt).toUTCString()
        : undefined,
  }
  if (!options.demoClient) return service
  return {
    ...service,
    demoClient: await makeDemoClient(service, [...privileges], drawDemoSecret()),
  }
}

/**
 * The demo client gets every known privilege and a fresh random secret at each start: a secret is
 * stored only as a hash, so a kept one could not be printed, and a secret derived from the public seed
 * would be a public secret (the very fault of API Entreprise's staging token).
 */
async function makeDemoClient(
  auth: AuthService,
  privileges: string[],
  secret: PreparedSecret,
): Promise<DemoClient> {
  const settings = {
    ...auth.defaultSettings(),
    label: 'Demo client (made at start-up)',
    privileges,
  }
  const made = await auth.clients.create(DEMO_CLIENT_ID, settings, secret)
  if (made) return { clientId: DEMO_CLIENT_ID, clientSecret: made.secret, privileges }
  // Kept from a previous run (file or Redis state): new secret, current privileges.
  await auth.clients.update(DEMO_CLIENT_ID, { privileges })
  const rotated = await auth.clients.rotateSecret(DEMO_CLIENT_ID, 0, secret)
  return { clientId: DEMO_CLIENT_ID, clientSecret: rotated!.secret, privileges }
}
