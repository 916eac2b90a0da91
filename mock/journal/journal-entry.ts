/**
 * The journal's unit: one entry per request that reached the API (answered, refused, held by a ban or
 * abandoned by the client), plus one per token issuance and per failed client authentication. Field
 * by field in `docs/journal.md`. An entry never holds a token, a secret or a response body.
 */
export interface JournalEntry {
  /** Unique and increasing in the order entries were recorded by one sandbox process. */
  id: string
  /** What the entry records; see {@link JournalKind}. */
  kind: JournalKind
  /** Real time of arrival, ISO 8601 with milliseconds. */
  at: string
  /** The client's sandbox-clock time of arrival, ISO 8601 (equals `at` when its clock is not shifted). */
  sandboxAt: string
  /**
   * Client id, once known: from a valid credential, from a token whose signature checked but that was
   * refused, or from the credentials of a connection held for a ban. Absent otherwise.
   */
  clientId?: string
  /** `jti` of the access token used or issued; never the token itself. */
  jti?: string
  /** How the request authenticated. */
  authMode?: 'bearer' | 'basic'
  /** Privileges the credential carried. */
  scopes?: readonly string[]
  /** Expiry of the token used or issued, sandbox time, ISO 8601. */
  tokenExpiresAt?: string
  /** True for a single-use token. */
  singleUse?: boolean
  /** Source IP as seen by the sandbox. */
  ip: string
  method: string
  /** Path without the query string. */
  path: string
  /** Operation id, when the route matched one. */
  operation?: string
  /** The API of the operation, when the sandbox serves several (operation ids are unique within one). */
  api?: string
  /** Privileges the operation requires (from the contract). */
  privileges?: readonly string[]
  /** Rate-limit group of the operation. */
  rateGroup?: string
  /** The data asked for: identifying parameters (siren, siret, year...), traceability excluded. */
  ref?: Record<string, string>
  /** Traceability parameters as sent (absent when not sent). */
  context?: string
  recipient?: string
  object?: string
  /** Status sent; absent when no status line went out (held, reset, abandoned before the answer). */
  status?: number
  /** Error code the answer carried (`00429`, `invalid_client`...). */
  code?: string
  /** Scenario that shaped the answer. */
  scenario?: string
  /** `Retry-After` sent, seconds. */
  retryAfter?: number
  /** `meta.retry_in` sent in an error body, seconds. */
  retryIn?: number
  outcome: JournalOutcome
  /** True when the sandbox held the connection without answering because the client is banned. */
  banned?: boolean
  /** End of that ban, sandbox time, ISO 8601. */
  banUntil?: string
  /** True when the sandbox deliberately delayed or withheld the answer (hang, provider wait, ban). */
  stalled?: boolean
  /** Real ms from arrival to the answer's last byte, or to the connection's close. */
  latencyMs: number
  /** Bytes written on the connection for this answer, status line and headers included (0 when none). */
  bytes: number
  /** True when the client closed the connection before the answer was complete. */
  clientClosed: boolean
  /** Real ms from arrival to the client's close, when it closed first. */
  clientClosedAfterMs?: number
  /** Dotted paths of the response fields delivered (array items as `[]`), for operations with scoped fields. */
  fields?: readonly string[]
  /** Dotted paths removed because the token lacked their scope. */
  withheld?: readonly string[]
  /** Scopes that unlocked at least one delivered field. */
  fieldScopes?: readonly string[]
  /** `Origin` header, when the request carried one (a browser front end). */
  origin?: string
  /** Other facts stages recorded (fixture file, fault injected...). */
  notes?: Record<string, unknown>
}

/**
 * `'api'`: a request to a contract operation. `'token'`: an access token issued. `'auth-failure'`: a
 * client authentication refused (`code` says why). `'auth-event'`: a lockout, a revocation, a client
 * created, updated, deleted, rotated or unlocked (`code` says which). `'callback'`: one attempt to
 * deliver a call-back to a client's receiver (`path` and `ip` are the receiver's path and host, `status`
 * its answer, `code` `delivered` | `refused` | `timeout` | `unreachable` | `abandoned` | `no-url` |
 * `host-not-allowed`, `notes.delivery` `event` | `redelivery` | `wrong-token`).
 */
export type JournalKind = 'api' | 'token' | 'auth-failure' | 'auth-event' | 'callback'

/**
 * How the exchange ended: `'answered'` (the whole answer was written), `'client-closed'` (the client
 * went away first), `'server-closed'` (the sandbox closed or reset the connection without a complete
 * answer: a held connection reaching its cap, a network fault).
 */
export type JournalOutcome = 'answered' | 'client-closed' | 'server-closed'

/** An entry before the journal gives it an id. */
export type NewJournalEntry = Omit<JournalEntry, 'id'>

/** Sandbox time of arrival of an entry, ms. */
export const entrySandboxMs = (e: JournalEntry): number => Date.parse(e.sandboxAt)

/** Real time of arrival of an entry, ms. */
export const entryRealMs = (e: JournalEntry): number => Date.parse(e.at)
