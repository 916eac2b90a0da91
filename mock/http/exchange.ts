import type { IncomingMessage, ServerResponse } from 'node:http'
import { dataParams } from '../contract/data-params.js'
import type { RunAdvance } from '../certification/run-state.js'
import type { Operation } from '../contract/types.js'
import type { EffectSpec, Rule } from '../scenarios/types.js'

/** The answer a stage decided on; `send` writes it after the scope filter. */
export interface Reply {
  status: number
  /** A JSON value, serialised at send time (after scope filtering). */
  body?: unknown
  /** Bytes or text sent as they are (a PDF, a pre-serialised JSON body). */
  raw?: string | Buffer
  /** Default `application/json; charset=utf-8`. */
  contentType?: string
  /** The production error code the body carries, for the journal. */
  code?: string
}

/** Who the request comes from, once `authenticate` has run. */
export interface Identity {
  clientId: string
  /** `jti` of the access token (never the token itself); absent for Basic authentication. */
  jti?: string
  /** Privileges the credential carries. */
  scopes: readonly string[]
  mode: 'bearer' | 'basic'
  /** Token expiry, sandbox-clock ms. */
  expiresAt?: number
}

/** Why a request's JSON body could not be read: its status (400 malformed, 413 too large) and cause. */
export interface BodyError {
  status: 400 | 413
  reason: string
}

/** The rate-limit state told to the client (`RateLimit-*` headers), once `limitRate` ran. */
export interface RateState {
  limit: number
  remaining: number
  /** End of the current period on the client's sandbox clock, ms. */
  resetAt: number
}

/** A scenario effect that needs the resolved body, left by `applyScenario` for `finishScenario`. */
export interface PendingEffect {
  effect: EffectSpec
  rule?: Rule
}

/**
 * Facts the stages leave for the journal. Some become entry fields of their own (`fields`, `withheld`,
 * `fieldScopes`, `ban`, `held`, `stalled`, `origin`, `authClientId`); the others are kept in the
 * entry's `notes` as they are.
 */
export interface JournalNotes {
  /** The refusal's production code (`00101`...), set by `authenticate`. */
  authError?: string
  /** Why the credential was refused (`missing`, `expired`, `bad-signature`...). */
  authReason?: string
  /** Privileges the operation needs, when the credential held none of them. */
  authNeeded?: string[]
  /** The privileges authentication enforced (the contract's, else the privilege map's). */
  privileges?: readonly string[]
  /** The client a refused credential names (its signature checked, or Basic). */
  authClientId?: string
  /** A single-use token was consumed by this call. */
  tokenConsumed?: boolean
  /** The `Origin` header: a token used from a browser. */
  origin?: string
  /** The fixture case file that answered. */
  fixture?: string
  /** The magic identifier that answered. */
  magic?: string
  /** The scenario effect applied (`rate-limit`, `provider-error`...). */
  effect?: string
  /** Scenario latency added, ms (after `delayFactor`). */
  delayMs?: number
  /** The answer repeats what an earlier scenario left behind. */
  remembered?: boolean
  /** A network fault injected (`reset`, `hang`, `truncated at ...`, `dribbled ...`). */
  fault?: string
  /** Dotted paths blanked by a 206 partial answer. */
  unavailable?: string[]
  /** Response fields delivered, withheld for lack of scope, and the scopes that unlocked some. */
  fields?: readonly string[]
  withheld?: readonly string[]
  /** Each withheld field with the scopes that would have shown it (`path=scope|scope`). */
  withheldBy?: readonly string[]
  fieldScopes?: readonly string[]
  /** Why the connection was held without an answer. */
  held?: string
  /** The hold was refused because too many sockets were held already. */
  heldOverflow?: boolean
  /** The ban that held the connection; `until` is ISO 8601. */
  ban?: { reason: string; until: string }
  /** A call over the group's limit, and by how many. */
  rateLimited?: { group: string; over: number }
  /** The answer was withheld or slowed on purpose. */
  stalled?: boolean
  /** The operation is deprecated: its successor (`METHOD /path`) or `no successor`. */
  deprecated?: string
  /** The deprecated operation's sunset, ISO 8601, for the verdict's after-the-sunset check. */
  sunset?: string
}

/**
 * One request on its way through the pipeline: every fact a stage reads or leaves is a field here.
 * Stages read it, add to it, and may set `reply` (the pipeline then skips to sending) or `detached`
 * (a stage took the socket over: ban, network fault).
 */
export interface Exchange {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  /** Real time of arrival, ms. */
  readonly receivedAt: number
  /** The client's address (see `clientIpOf`). */
  readonly ip: string
  readonly method: string
  /** Path without the query string, percent-decoding left to the router. */
  readonly path: string
  readonly query: Record<string, string | string[] | undefined>
  /** Set when the JSON body parser refused the body; the validate stage answers for it. */
  readonly bodyError?: BodyError
  operation?: Operation
  pathParams: Record<string, string>
  /**
   * The parameters that identify the data asked for (`dataParams`), read once by {@link paramsOf}
   * and shared by the stages and the journal: never changed after.
   */
  params?: Readonly<Record<string, string>>
  /** The client whose ban `holdBanned` already checked (read from the credentials, unverified). */
  banCheckedFor?: string
  identity?: Identity
  /** Offset of the client's sandbox clock from real time, ms (0 until the client is known). */
  clockOffset: number
  /** Extra response headers (rate limits, notices, clock shift), added to whatever is sent. */
  headers: Record<string, string>
  /** Rate-limit group of the operation, once known. */
  rateGroup?: string
  /** What the `RateLimit-*` headers say, once the group is known. */
  rate?: RateState
  /** Name of the scenario that shaped the answer, if any. */
  scenario?: string
  /** A scenario effect waiting for the resolved body. */
  pendingEffect?: PendingEffect
  /** The certification run and step this call falls in, once a stage looked it up (`at` undefined: no run). */
  runAdvance?: { at: RunAdvance }
  reply?: Reply
  detached?: boolean
  /** Facts for the journal. */
  notes: JournalNotes
}
/** The identifying parameters of a routed exchange (path values, data-naming query values), read once. */
export const paramsOf = (ex: Exchange): Readonly<Record<string, string>> =>
  (ex.params ??= dataParams(ex.operation!, ex))

/** Sandbox-clock time of the exchange, ms: real arrival time plus the client's offset. */
export const sandboxNow = (ex: Exchange): number => ex.receivedAt + ex.clockOffset

/** A pipeline stage: one file, one job. */
export type Stage = (ex: Exchange) => void | Promise<void>
