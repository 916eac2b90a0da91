import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SANDBOX_ERRORS, SandboxConfigError } from './errors.js'

/** The package's root folder (holds `fixtures/` and `scenarios/`), found from this file's place. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)))

function findPackageRoot(from: string): string {
  let dir = from
  while (!existsSync(resolve(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) return from
    dir = parent
  }
  return dir
}

let version: string | undefined
/** The installed package's version, from its `package.json` (`'unknown'` when it cannot be read). */
export function packageVersion(): string {
  if (version === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(resolve(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
        version?: string
      }
      version = pkg.version ?? 'unknown'
    } catch {
      version = 'unknown'
    }
  }
  return version
}

/** A contract served beside the main one, behind the same authorization server (docs/several-apis.md). */
export interface ApiOptions {
  /** OpenAPI 3.0/3.1 (or Swagger 2.0) contract file. */
  contract: string
  /** Name in the journal, the admin surface and the report. Default: `info.x-sandbox-api`, else the file name. */
  name?: string
  /** Path prefix its operations are served under (`/douane`). Default: none, the contract's paths as written. */
  prefix?: string
  /** Privilege mapping file for its operations. Default: none (the contract's own privileges). */
  privileges?: string
  /** Its rate-limit table file, or `'off'`. Default: the sandbox's `rateLimits` (its groups counted apart). */
  rateLimits?: string
  /** Field-to-scope mapping file. Default: none (the contract's own `x-sandbox-scopes`). */
  fieldScopes?: string
  /** Folder of fixture cases for its operations. Default: none. */
  fixtures?: string
}

/** Options of {@link createSandbox}. Every field is optional; defaults are in {@link DEFAULTS}. */
export interface SandboxOptions {
  /** OpenAPI 3.0/3.1 contract file, YAML or JSON. Default: the bundled API-Entreprise-shaped twin. */
  contract?: string
  /**
   * More APIs served beside `contract`, behind the same authorization server (docs/several-apis.md):
   * contract files, {@link ApiOptions} (prefix, privileges, rate table...), or the path of a YAML file
   * listing them. Default: none.
   */
  apis?: string | readonly (string | ApiOptions)[]
  /** Path prefix the main contract is served under when there are several APIs. Default: none. */
  prefix?: string
  /**
   * Download the documents a contract's `$ref`s name by an http(s) URL. Default `false`: such a
   * `$ref` stops start-up, naming it (a hosted sandbox fetches nothing it was not told to). Relative
   * and file `$ref`s are read either way.
   */
  allowRemoteRefs?: boolean
  /** Folder of fixture cases, one sub-folder per operation id. Default: the bundled `fixtures/cases` with the bundled contract, none with another. */
  fixtures?: string
  /**
   * Fixture cases that contradict the contract (a payload outside its schema, an identifier its format
   * refuses): `'summary'` logs one line at load, `'warn'` also lists each case, `'error'` refuses to
   * start on a payload outside the schema. Default `'summary'`.
   */
  fixtureCheck?: 'summary' | 'warn' | 'error'
  /** Extra folder of scenario files, added to the bundled `scenarios/`. Default: none. */
  scenarios?: string
  /** Seed of all generated data. Same seed, same identifier: byte-identical answer. Default `1`. */
  seed?: number
  /**
   * The day generated data treats as today, `YYYY-MM-DD` (documents delivered up to it, periods
   * closed before it): give one for answers byte-identical from one day to the next. Default: the
   * day the sandbox starts on, on its clock (`now`), in UTC.
   */
  referenceDay?: string
  /** Language of generated data and error messages: `'fr'` or `'en'`. Default: the contract's own. */
  locale?: 'fr' | 'en'
  /**
   * Share (0 to 1) of nullable fields answered `null` although a value fits, seeded, to test a
   * client's robustness. Default `0`: null only where the field's meaning says absent.
   */
  nullRate?: number
  /** `'memory'`, a lowdb file path, or `redis://host:port/db`. Default `'memory'` (the CLI uses `.sandbox/state.json`). */
  state?: string
  /** Admin token for `/__sandbox/`. Default: 32 random bytes, hex. */
  adminToken?: string
  /**
   * Key that seals private signing keys at rest (16+ characters; the CLI reads `SANDBOX_STATE_KEY`).
   * Default: none, keys are protected by the state files' modes only.
   */
  stateKey?: string
  /** Enforce the contract's security (tokens, privileges). Default `true`; `false` serves like a plain mock. */
  auth?: boolean
  /**
   * Public base URL of the sandbox, used in `document_url`, token `iss` and the metadata. Default:
   * the address the sandbox listens on (`listen(0)` advertises its real port).
   */
  publicUrl?: string
  /** Rate-limit table file, or `'off'`. Default: the bundled `fixtures/rate-limits.yaml`. */
  rateLimits?: string
  /** Privilege mapping file (operation id → privilege). Default: the bundled `fixtures/privileges.yaml`. */
  privileges?: string
  /** Field-to-scope mapping file for minimisation. Default: the bundled `fixtures/field-scopes.yaml`. */
  fieldScopes?: string
  /** Magic identifiers table. Default: the bundled `fixtures/magic-identifiers.yaml`. */
  magicIdentifiers?: string
  /** Folder of processing files (`<createOperationId>.yaml`: statuses, delays, probabilities). Default: the bundled `fixtures/processing`. */
  processing?: string
  tokens?: Partial<TokenOptions>
  lockout?: Partial<LockoutOptions>
  ban?: Partial<BanOptions>
  journal?: Partial<JournalOptions>
  /** The web console under `/console/` (see docs/console.md). */
  console?: Partial<ConsoleOptions>
  callbacks?: Partial<CallbackOptions>
  /** After a deprecated operation's sunset (on the client's clock), answer it `410 Gone`. Default `false`. */
  enforceSunset?: boolean
  /** Scales the real delays of scenarios (504 provider wait, latency): `0.01` turns 10 s into 100 ms. Default `1`. */
  delayFactor?: number
  /** Create the demo client at start-up. Default `true`. */
  demoClient?: boolean
  /**
   * Behind one load balancer: take the client's address from the last `X-Forwarded-For` entry (bans,
   * per-IP limits, lockouts and the journal need the real address). Default `false`.
   */
  trustProxy?: boolean
  /**
   * Largest request line plus headers accepted, bytes; larger requests are answered 431 by Node's
   * parser before any stage runs. Default `16384` (16 KiB).
   */
  maxHeaderBytes?: number
  /**
   * Seconds an idle keep-alive connection stays open (Node's own default, 5 s, is shorter than the
   * idle timeout of common load balancers and proxies, 60 s and more: they would reuse a connection
   * the sandbox is closing and get a reset). Default `65`.
   */
  keepAliveTimeout?: number
  /**
   * Seconds a client has to send a request's headers; above `keepAliveTimeout`. Default `66`, or one
   * second above `keepAliveTimeout` when that is longer.
   */
  headersTimeout?: number
  /** Seconds start-up waits for an unreachable Redis (`state: redis://...`) before it fails. Default `30`. */
  redisWait?: number
  /** Real-time source in milliseconds (tests may inject one). Default `Date.now`. */
  now?: () => number
  /** Where operational messages go (never secrets). Default: stderr. */
  log?: (line: string) => void
}

export interface TokenOptions {
  /** Default access-token lifetime, seconds. Default `300` (the Douane's 5 minutes). */
  lifetime: number
  /** Smallest lifetime a client may ask for, seconds. Default `10`. */
  minLifetime: number
  /** JWS algorithm of issued tokens. Default `'ES256'`. */
  algorithm: 'ES256' | 'RS256' | 'EdDSA'
  /** `aud` claim of issued tokens. Default `'sandbox-twin'`. */
  audience: string
  /** Days before a secret's expiry from which responses carry the notice header. Default `14`. */
  secretExpiryNoticeDays: number
  /** Seconds during which the previous secret still works after a rotation. Default `86400` (1 day). */
  rotationOverlap: number
  /** Lifetime of a new client secret, seconds. Default `31536000` (365 days). */
  secretLifetime: number
  /** Longest token lifetime a client may be given, seconds. Default `86400` (1 day). */
  maxLifetime: number
  /** JWKS and metadata requests allowed per IP and minute before 429. Default `600`. */
  jwksPerMinute: number
  /** Seconds a token's `iat` may be ahead of the client's sandbox clock before it is refused. Default `60`. */
  clockSkew: number
  /** Default lifetime of a portal token (API Entreprise's long-lived JWT), seconds. Default 18 months. */
  portalLifetime: number
  /** Longest lifetime a portal token may be minted with, seconds. Default 36 months. */
  portalMaxLifetime: number
}

export interface LockoutOptions {
  /** Failed client authentications that trigger a lockout. Default `5`. */
  maxFailures: number
  /** Window in which failures are counted, seconds. Default `300`. */
  window: number
  /** Lockout duration, seconds. Default `900`. */
  duration: number
  /**
   * Failed client authentications one address may make in `window` (any client ids, made-up ones
   * included) before its further attempts are refused without a secret check, unless they present
   * credentials already verified: a flood of guesses costs no scrypt. `0`: no limit. Default `100`.
   */
  perAddress: number
}

export interface BanOptions {
  /** Calls during a 429 period that earn a ban. Default `10`. */
  threshold: number
  /** Ban duration, seconds. Default `43200` (12 h). */
  duration: number
  /** How long a banned connection is held before it is closed, seconds. Default `60`. */
  holdFor: number
  /** Most connections held at once; past it, banned connections are closed at once. Default `1000`. */
  maxHeld: number
}

export interface JournalOptions {
  /** Write the journal at all. Default `true`. */
  enabled: boolean
  /** Entries kept in memory before the writer is forced to flush. Default `10000`. */
  bufferEntries: number
  /** Size at which the JSONL file rotates, bytes. Default `10 MiB`. */
  rotateBytes: number
  /** Days a journal entry is kept. Default `30`. */
  retentionDays: number
  /** Entries a journal kept in memory holds (state `'memory'`); the oldest make room. Default `100000`. */
  memoryEntries: number
  /** Bytes of JSON lines a journal kept in memory holds at most; the oldest make room. Default `64 MiB`. */
  memoryBytes: number
}

/** How call-backs are delivered (see docs/write-apis.md). */
export interface CallbackOptions {
  /** Real ms between two looks for due call-backs; `0`: only when asked (`runDue`). Default `1000`. */
  pollMs: number
  /** Real ms a receiver has to answer before the delivery counts as failed. Default `5000`. */
  timeoutMs: number
  /** Hosts call-backs may go to, until the admin changes them. Default: loopback only. */
  allowedHosts: readonly string[]
  /**
   * After a client's first delivered call-back, send it once more (a redelivery, same event id) and
   * once with a wrong token, so that the verdict can judge the receiver. Default `true`.
   */
  probes: boolean
}

/** The web console (see docs/console.md). */
export interface ConsoleOptions {
  /** Serve the console at all; `false` leaves `/console/` to the API's 404. Default `true`. */
  enabled: boolean
  /** Who may create an account: anyone, holders of an admin-made invite code, or nobody. */
  signup: 'open' | 'invite' | 'off'
  /** A console session ends after this many seconds without a request. */
  idleTimeout: number
}

/** Options after defaults are applied and checked: deep-frozen, never changed during a request. */
export interface ResolvedOptions {
  readonly contract: string
  readonly apis: string | readonly (string | Readonly<ApiOptions>)[]
  readonly prefix: string
  readonly allowRemoteRefs: boolean
  readonly fixtures: string
  readonly fixtureCheck: 'summary' | 'warn' | 'error'
  readonly scenarios: readonly string[]
  readonly seed: number
  /** Unset: the day the sandbox starts on. */
  readonly referenceDay?: string
  /** Unset: the contract's own language. */
  readonly locale?: 'fr' | 'en'
  readonly nullRate: number
  readonly state: string
  readonly adminToken: string
  readonly stateKey?: string
  readonly auth: boolean
  readonly publicUrl: string
  /** True when no `publicUrl` was given: document links then follow each request's `Host`. */
  readonly publicUrlFromHost: boolean
  readonly rateLimits: string
  readonly privileges: string
  readonly fieldScopes: string
  readonly magicIdentifiers: string
  readonly processing: string
  readonly tokens: Readonly<TokenOptions>
  readonly lockout: Readonly<LockoutOptions>
  readonly ban: Readonly<BanOptions>
  readonly journal: Readonly<JournalOptions>
  readonly console: Readonly<ConsoleOptions>
  readonly callbacks: Readonly<CallbackOptions>
  readonly enforceSunset: boolean
  readonly delayFactor: number
  readonly demoClient: boolean
  readonly trustProxy: boolean
  readonly maxHeaderBytes: number
  readonly keepAliveTimeout: number
  readonly headersTimeout: number
  readonly redisWait: number
  readonly now: () => number
  readonly log: (line: string) => void
}

const bundled = (...parts: string[]): string => resolve(PACKAGE_ROOT, ...parts)

/** A folder that never exists: "no fixture cases" (any other missing folder is an error). */
export const DEFAULT_NO_FIXTURES = bundled('fixtures', 'cases', '.none')

/** A month, seconds: a twelfth of a Julian year, so that `18mo` is the same span everywhere. */
export const MONTH = 2_629_800

/**
 * Every default and every tunable in one place, with its unit; frozen. The options a user may set are
 * documented on {@link SandboxOptions}; `tuning` holds the sizes and delays of caches, writers and
 * connections that are not options.
 */
export const DEFAULTS = deepFreeze({
  contract: bundled('fixtures', 'default-contract.yaml'),
  fixtures: bundled('fixtures', 'cases'),
  fixtureCheck: 'summary',
  allowRemoteRefs: false,
  bundledScenarios: bundled('scenarios'),
  seed: 1,
  nullRate: 0,
  state: 'memory',
  auth: true,
  publicUrl: 'http://127.0.0.1:8080', // the CLI's host and port
  rateLimits: bundled('fixtures', 'rate-limits.yaml'),
  privileges: bundled('fixtures', 'privileges.yaml'),
  fieldScopes: bundled('fixtures', 'field-scopes.yaml'),
  magicIdentifiers: bundled('fixtures', 'magic-identifiers.yaml'),
  processing: bundled('fixtures', 'processing'),
  tokens: {
    lifetime: 300, // 5 min
    minLifetime: 10, // s
    algorithm: 'ES256',
    audience: 'sandbox-twin',
    secretExpiryNoticeDays: 14,
    rotationOverlap: 86_400, // 1 day
    secretLifetime: 31_536_000, // 365 days
    maxLifetime: 86_400, // 1 day
    jwksPerMinute: 600, // per IP
    clockSkew: 60, // s
    portalLifetime: 18 * MONTH, // s
    portalMaxLifetime: 36 * MONTH, // s
  },
  lockout: { maxFailures: 5, window: 300, duration: 900, perAddress: 100 }, // count, s, s, count
  ban: { threshold: 10, duration: 43_200, holdFor: 60, maxHeld: 1000 }, // s, s, count
  journal: {
    enabled: true,
    bufferEntries: 10_000,
    rotateBytes: 10 * 1024 * 1024, // 10 MiB
    retentionDays: 30,
    memoryEntries: 100_000,
    memoryBytes: 64 * 1024 * 1024, // 64 MiB
  },
  callbacks: {
    pollMs: 1000,
    timeoutMs: 5000,
    allowedHosts: ['127.0.0.1', '::1', 'localhost'],
    probes: true,
  },
  delayFactor: 1,
  demoClient: true,
  console: { enabled: true, signup: 'invite', idleTimeout: 1800 }, // idleTimeout in s
  enforceSunset: false,
  trustProxy: false,
  maxHeaderBytes: 16 * 1024, // bytes: request line and headers
  keepAliveTimeout: 65, // s: above the 60 s idle timeout of common load balancers
  headersTimeout: 66, // s: above keepAliveTimeout
  redisWait: 30, // s
  /** Where `sandbox-twin serve` listens, and the state file it keeps (the programmatic default is memory). */
  cli: { host: '127.0.0.1', port: 8080, state: '.sandbox/state.json' },
  tuning: {
    maxBodyBytes: 1024 * 1024, // bytes: a JSON request body, API and admin surface (larger: 413)
    verifiedTokens: 10_000, // entries: access tokens whose signature was checked
    refusedTokens: 10_000, // entries: refused tokens, each remembered refusedTokenMs
    refusedTokenMs: 60_000, // ms
    generatedBodies: 5000, // entries: generated answers kept serialised
    passedUrls: 2000, // entries: request URLs that passed validation (up to 2048 characters each)
    companies: 10_000, // entries: legal units and establishments drawn, each
    journalFlushMs: 50, // ms: the journal writer hands its batch to the backend after this
    journalPageEntries: 1000, // entries read per round-trip from a Redis journal
    storeWriteDelayMs: 1000, // ms: counters reach the state file's log within this
    storeCompactBytes: 4 * 1024 * 1024, // bytes of log after which the state file is compacted
    storeCompactEveryMs: 10_000, // ms: least time between two compactions
    storeSweepEveryMs: 30_000, // ms: between two removals of expired entries
    redisConnectTimeoutMs: 2000, // ms: a TCP connection to Redis
    redisCommandTimeoutMs: 2000, // ms: one Redis command's reply
    redisReadyTimeoutMs: 500, // ms: the PING of a readiness check
    redisStartupProbeMs: 250, // ms: between two readiness checks while start-up waits for Redis
    redisKeyTtlMs: 30 * 86_400_000, // ms (30 days): TTL of a Redis key written without one, renewed by use
    redisStreamEntries: 100_000, // entries: a Redis stream's length, approximately, unless its owner says
    remoteContractTimeoutMs: 10_000, // ms: fetching a contract part named by an http(s) URL
  },
} as const)

function fail(message: string): never {
  throw new SandboxConfigError(SANDBOX_ERRORS.BAD_OPTION, message)
}

/** A frozen copy of plain objects and arrays, all the way down; functions and class instances as they are. */
function deepFreeze<T>(value: T): T {
  if (Array.isArray(value)) return Object.freeze(value.map(deepFreeze)) as T
  if (value === null || typeof value !== 'object') return value
  if (Object.getPrototypeOf(value) !== Object.prototype) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = deepFreeze(v)
  return Object.freeze(out) as T
}

function positive(name: string, value: unknown, integer = true): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  ) {
    fail(`option ${name} must be a ${integer ? 'whole ' : ''}number >= 0, got ${String(value)}`)
  }
  return value
}

function atLeastOne(name: string, value: number): void {
  if (value < 1) fail(`option ${name} must be at least 1, got ${value}`)
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') fail(`option ${name} must be true or false, got ${String(value)}`)
  return value
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    fail(`option ${name} must be ${allowed.map((a) => `'${a}'`).join(', ')}, got ${String(value)}`)
  }
  return value as T
}

function text(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || value.trim() === '') {
    fail(`option ${name} must be a non-empty string, got ${String(value)}`)
  }
  return value
}

/**
 * A group of options (`tokens`, `ban`...) over its defaults: a key the group does not have is refused
 * (a misspelt option would otherwise be ignored), numbers are whole and >= 0 unless `fractional`.
 */
function merge<T extends object>(
  name: string,
  defaults: T,
  given: Partial<T> | undefined,
  fractional: readonly string[] = [],
): T {
  if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given)))
    fail(`option ${name} must be an object of settings, got ${String(given)}`)
  const out = { ...defaults }
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!(key in defaults)) {
      fail(`option ${name}.${key} is unknown; known: ${Object.keys(defaults).join(', ')}`)
    }
    if (value === undefined) continue
    const fallback = (defaults as Record<string, unknown>)[key]
    if (typeof fallback === 'number') positive(`${name}.${key}`, value, !fractional.includes(key))
    else if (typeof fallback === 'boolean') flag(`${name}.${key}`, value, false)
    else if (typeof fallback === 'string') text(`${name}.${key}`, value, '')
    ;(out as Record<string, unknown>)[key] = value
  }
  return out
}

function resolveTokens(given: Partial<TokenOptions> | undefined): TokenOptions {
  const tokens = merge('tokens', DEFAULTS.tokens as TokenOptions, given)
  oneOf('tokens.algorithm', tokens.algorithm, ['ES256', 'RS256', 'EdDSA'] as const)
  if (tokens.portalLifetime > tokens.portalMaxLifetime || tokens.portalLifetime < 1) {
    fail(
      `option tokens.portalLifetime (${tokens.portalLifetime} s) must be from 1 s to tokens.portalMaxLifetime (${tokens.portalMaxLifetime} s)`,
    )
  }
  if (tokens.lifetime < tokens.minLifetime) {
    fail(
      `option tokens.lifetime (${tokens.lifetime} s) is below tokens.minLifetime (${tokens.minLifetime} s)`,
    )
  }
  if (tokens.lifetime > tokens.maxLifetime) {
    fail(
      `option tokens.lifetime (${tokens.lifetime} s) is above tokens.maxLifetime (${tokens.maxLifetime} s)`,
    )
  }
  return tokens
}

function resolveJournal(given: Partial<JournalOptions> | undefined): JournalOptions {
  const journal = merge('journal', DEFAULTS.journal as JournalOptions, given)
  for (const name of ['bufferEntries', 'memoryEntries', 'memoryBytes', 'rotateBytes'] as const)
    atLeastOne(`journal.${name}`, journal[name])
  return journal
}

function resolveCallbacks(given: Partial<CallbackOptions> | undefined): CallbackOptions {
  const callbacks = merge('callbacks', DEFAULTS.callbacks as unknown as CallbackOptions, given)
  const hosts: unknown = callbacks.allowedHosts
  if (!Array.isArray(hosts) || hosts.some((h) => typeof h !== 'string' || h.trim() === ''))
    fail('option callbacks.allowedHosts must be a list of host names, e.g. ["127.0.0.1"]')
  return callbacks
}

function resolveConsole(given: Partial<ConsoleOptions> | undefined): ConsoleOptions {
  const out = merge('console', DEFAULTS.console as ConsoleOptions, given)
  oneOf('console.signup', out.signup, ['open', 'invite', 'off'] as const)
  if (out.idleTimeout < 60) fail('option console.idleTimeout must be at least 60 seconds')
  return out
}

function fn<T>(name: string, value: T | undefined, fallback: T): T {
  if (value === undefined) return fallback
  if (typeof value !== 'function') fail(`option ${name} must be a function, got ${String(value)}`)
  return value
}

/** Applies defaults, checks every option once, and deep-freezes the result. */
export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  const seed = options.seed ?? DEFAULTS.seed
  if (!Number.isSafeInteger(seed)) fail(`option seed must be a whole number, got ${String(seed)}`)
  const fixtureCheck = oneOf('fixtureCheck', options.fixtureCheck ?? DEFAULTS.fixtureCheck, [
    'summary',
    'warn',
    'error',
  ] as const)
  const publicUrl = text('publicUrl', options.publicUrl, DEFAULTS.publicUrl).replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]+/.test(publicUrl))
    fail(`option publicUrl must be an http(s) URL, got ${publicUrl}`)
  const path = (name: string, value: unknown, fallback: string): string =>
    resolve(text(name, value, fallback))
  const contract = path('contract', options.contract, DEFAULTS.contract)
  const resolved: ResolvedOptions = {
    contract,
    apis: resolveApis(options.apis),
    prefix: options.prefix === undefined ? '' : text('prefix', options.prefix, ''),
    allowRemoteRefs: flag('allowRemoteRefs', options.allowRemoteRefs, DEFAULTS.allowRemoteRefs),
    // The bundled cases are written for the bundled contract: another contract starts with none.
    fixtures: path(
      'fixtures',
      options.fixtures,
      contract === DEFAULTS.contract ? DEFAULTS.fixtures : DEFAULT_NO_FIXTURES,
    ),
    fixtureCheck,
    scenarios: [
      DEFAULTS.bundledScenarios,
      ...(options.scenarios !== undefined ? [path('scenarios', options.scenarios, '')] : []),
    ],
    seed,
    ...(options.referenceDay !== undefined
      ? { referenceDay: checkDay('referenceDay', options.referenceDay) }
      : {}),
    ...(options.locale !== undefined
      ? { locale: oneOf('locale', options.locale, ['fr', 'en'] as const) }
      : {}),
    nullRate: share('nullRate', options.nullRate ?? DEFAULTS.nullRate),
    state: text('state', options.state, DEFAULTS.state),
    adminToken: text('adminToken', options.adminToken, randomBytes(32).toString('hex')),
    ...(options.stateKey !== undefined ? { stateKey: checkStateKey(options.stateKey) } : {}),
    auth: flag('auth', options.auth, DEFAULTS.auth),
    publicUrl,
    publicUrlFromHost: options.publicUrl === undefined,
    rateLimits:
      options.rateLimits === 'off'
        ? 'off'
        : path('rateLimits', options.rateLimits, DEFAULTS.rateLimits),
    privileges: path('privileges', options.privileges, DEFAULTS.privileges),
    fieldScopes: path('fieldScopes', options.fieldScopes, DEFAULTS.fieldScopes),
    magicIdentifiers: path('magicIdentifiers', options.magicIdentifiers, DEFAULTS.magicIdentifiers),
    processing: path('processing', options.processing, DEFAULTS.processing),
    tokens: resolveTokens(options.tokens),
    lockout: merge('lockout', DEFAULTS.lockout, options.lockout),
    ban: merge('ban', DEFAULTS.ban, options.ban),
    journal: resolveJournal(options.journal),
    console: resolveConsole(options.console),
    callbacks: resolveCallbacks(options.callbacks),
    enforceSunset: flag('enforceSunset', options.enforceSunset, DEFAULTS.enforceSunset),
    delayFactor: positive('delayFactor', options.delayFactor ?? DEFAULTS.delayFactor, false),
    demoClient: flag('demoClient', options.demoClient, DEFAULTS.demoClient),
    trustProxy: flag('trustProxy', options.trustProxy, DEFAULTS.trustProxy),
    maxHeaderBytes: positive('maxHeaderBytes', options.maxHeaderBytes ?? DEFAULTS.maxHeaderBytes),
    ...resolveTimeouts(options.keepAliveTimeout, options.headersTimeout),
    redisWait: positive('redisWait', options.redisWait ?? DEFAULTS.redisWait, false),
    now: fn('now', options.now, Date.now),
    log: fn('log', options.log, (line: string) => void process.stderr.write(`${line}\n`)),
  }
  if (resolved.adminToken.length < 16) fail('option adminToken must be at least 16 characters long')
  return deepFreeze(resolved)
}

/** Longest keep-alive or headers timeout, seconds (a day). */
const MAX_CONNECTION_TIMEOUT = 86_400

/** The connection timeouts: whole seconds from 1 to a day, the headers' above the keep-alive's. */
function resolveTimeouts(
  keepAlive: unknown,
  headers: unknown,
): { keepAliveTimeout: number; headersTimeout: number } {
  const seconds = (name: string, value: unknown): number => {
    const n = positive(name, value)
    if (n < 1 || n > MAX_CONNECTION_TIMEOUT)
      fail(`option ${name} must be from 1 to ${MAX_CONNECTION_TIMEOUT} seconds, got ${n}`)
    return n
  }
  const keepAliveTimeout = seconds('keepAliveTimeout', keepAlive ?? DEFAULTS.keepAliveTimeout)
  const headersTimeout =
    headers === undefined
      ? Math.max(DEFAULTS.headersTimeout, keepAliveTimeout + 1)
      : seconds('headersTimeout', headers)
  if (headersTimeout <= keepAliveTimeout)
    fail(
      `option headersTimeout (${headersTimeout} s) must be above keepAliveTimeout (${keepAliveTimeout} s), as usual behind a load balancer`,
    )
  return { keepAliveTimeout, headersTimeout }
}

/** The `apis` option's shape; its entries are checked with the files they name (`apis/api-options.ts`). */
function resolveApis(apis: SandboxOptions['apis']): ResolvedOptions['apis'] {
  if (apis === undefined) return []
  if (typeof apis === 'string') return resolve(text('apis', apis, ''))
  if (!Array.isArray(apis))
    fail('option apis must be a file listing the APIs, or a list of contracts and API settings')
  return apis
}

/** A calendar day, `YYYY-MM-DD`, that exists, from 1970 to 9999. */
function checkDay(name: string, value: unknown): string {
  const day = typeof value === 'string' ? value : ''
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN
  if (!(ms >= 0) || new Date(ms).toISOString().slice(0, 10) !== day)
    fail(`option ${name} must be a day written YYYY-MM-DD from 1970 on, got ${String(value)}`)
  return day
}

function share(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1)
    fail(`option ${name} must be a number from 0 to 1, got ${String(value)}`)
  return value
}

/** Shortest key that seals private signing keys at rest. */
const MIN_STATE_KEY = 16

function checkStateKey(value: unknown): string {
  if (typeof value !== 'string' || value.length < MIN_STATE_KEY)
    fail(
      `SANDBOX_STATE_KEY (option stateKey) must be at least ${MIN_STATE_KEY} characters long (got ${typeof value === 'string' ? value.length : String(value)}); a random one: openssl rand -base64 32`,
    )
  return value
}
