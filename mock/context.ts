import type { ApiErrorSpec } from './contract/error-body.js'
import type { RouteMatch } from './contract/router.js'
import type { Contract, Operation } from './contract/types.js'
import type { Reply } from './http/exchange.js'
import type { RequestParts, ValidationFailure } from './contract/validate-request.js'
import type { ResolvedOptions } from './options.js'
import type { Journal } from './journal/journal.js'
import type { DataSources } from './data/data-sources.js'
import type { FieldScopeTable } from './scope/scope-tree.js'
import type { Store } from './store/store.js'
import type { InterruptionService } from './status/interruptions.js'
import type { ResourceService } from './resources/resource-service.js'
import type { CallbackService } from './callbacks/callback-service.js'
import type { AuthService } from './auth/auth-service.js'
import type { ScenarioService } from './scenarios/scenario-service.js'
import type { SandboxClock } from './clock/clock.js'
import type { TrafficService } from './traffic/traffic-service.js'
import type { PublicBase } from './http/public-base.js'

/** Which API a context serves. */
export interface ApiIdentity {
  /** `info.x-sandbox-api`, the given name, or the contract's file name. */
  readonly name: string
  /** Path prefix its operations are served under; `''` when none. */
  readonly prefix: string
}

/**
 * The services a sandbox is made of, built once by `createSandbox` and shared by every stage and
 * admin route. Nothing here changes during a request except the store's contents.
 */
export interface SandboxContext {
  readonly options: ResolvedOptions
  /** The base URL advertised (token `iss`, metadata): the listening address unless `publicUrl` is set. */
  readonly publicBase: PublicBase
  /** This context's API: its name and mount prefix (`''`: none). */
  readonly api: ApiIdentity
  /**
   * Every API the sandbox serves, the main one first, each as its own context (contract, errors,
   * data, resources, call-backs, rate table): one element with a single contract. Stages run on the
   * context of the operation's API; the admin surface, the console and the report go through all.
   */
  readonly apis: readonly SandboxContext[]
  readonly contract: Contract
  readonly store: Store
  readonly clock: SandboxClock
  /** Finds the operation of a method and path. */
  readonly route: (method: string, path: string) => RouteMatch
  /** The error answer in the contract's shape, ready to set as `ex.reply`. */
  readonly errors: (op: Operation | undefined, status: number, spec?: ApiErrorSpec) => Reply
  /** Checks a request against its operation. */
  readonly validate: (op: Operation, parts: RequestParts) => ValidationFailure | undefined
  /** Fixture cases, magic identifiers and the generator. */
  readonly data: DataSources
  /** Clients, tokens, keys, lockout and the auth event hook (see docs/auth.md). */
  readonly auth: AuthService
  /** Rate-limit tables, bans, held connections, 429 periods (see docs/traffic.md). */
  readonly traffic: TrafficService
  /** The scenario catalogue, arming per client, and what scenarios left behind (see scenarios/README.md). */
  readonly scenarios: ScenarioService
  /** The access journal: one entry per request, token and auth failure (see docs/journal.md). */
  readonly journal: Journal
  /** Response fields tied to scopes, by operation id (minimisation; see docs/journal.md). */
  readonly fieldScopes: FieldScopeTable
  /** Stateful collections of the contract and their processing (see docs/write-apis.md). */
  readonly resources: ResourceService
  /** Planned interruptions: announced on the status page, answered 503 while they run (see docs/console.md). */
  readonly interruptions: InterruptionService
  /** Call-back accounts, the outbox and its deliveries (see docs/write-apis.md). */
  readonly callbacks: CallbackService
}
