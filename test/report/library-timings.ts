/**
 * How real client libraries behave in the situations the verdict judges, as timings (ms) and events:
 * the libraries are not dependencies of the project, their behaviour is. Each figure is what the
 * library does with its documented defaults (or the configuration named), including the timer jitter
 * seen in runs against the sandbox: Node timers fire a few ms late, undici checks its timeouts on a
 * 0.5 to 1 s tick, got and axios-retry add random noise to their backoff.
 */

/** Waits between retries after failures that asked for nothing (504s, resets), ms. */
export const OWN_BACKOFF = {
  /** got: `((2 ** (attempt - 1)) * 1000) + noise`, noise up to 100 ms; 2 retries on GET. */
  got: [1047, 2081],
  /** ky: `0.3 * 2 ** (attempt - 1) * 1000`; 2 retries. */
  ky: [300, 600],
  /** axios-retry with `exponentialDelay`: `2 ** retry * 100` plus up to 20 % noise; 3 retries. */
  'axios-retry': [213, 436, 871],
  /** undici RetryAgent: `minTimeout 500 * timeoutFactor 2 ** (n - 1)`, 5 retries. */
  'undici RetryAgent': [502, 1003, 2004, 4002, 8003],
  /** p-retry: `minTimeout 1000 * factor 2 ** (n - 1)`, no randomisation (5 of its 10 retries shown). */
  'p-retry': [1001, 2002, 4001, 8002, 16003],
} as const

/** Waits after answers that asked for one (Retry-After, retry_in), honoured exactly: jitter only. */
export const ASKED_WAITS = {
  /** got honouring a 503's `Retry-After: 30` twice (timer jitter of a few ms). */
  'got, Retry-After 30 twice': { asked: 30, waits: [30004, 30010] },
  /** The same, the first timer firing later than the second (a loaded machine). */
  'got, Retry-After 30, late first timer': { asked: 30, waits: [30154, 30004] },
  /** undici RetryAgent with `retryAfter: true`: waits what was asked, rounded to its tick. */
  'undici RetryAgent, Retry-After 2': { asked: 2, waits: [2001, 2003] },
  /** ky honours Retry-After on 413, 429 and 503. */
  'ky, Retry-After 2': { asked: 2, waits: [2002] },
} as const

/** When each library closes a call the sandbox holds without answering, ms after it was sent. */
export const CLOSES_HELD_CALL = {
  /** undici `headersTimeout: 5000`: its timers have a 0.5 to 1 s resolution. */
  'undici headersTimeout 5000': [5512, 5698, 5704],
  /** got `timeout: { request: 5000 }`. */
  'got timeout.request 5000': [5003, 5006],
  /** axios `timeout: 5000`. */
  'axios timeout 5000': [5002],
  /** ky `timeout: 5000` (its default is 10 s). */
  'ky timeout 5000': [5004],
  /** ky with its default `timeout: 10000`: too long for a JSON operation. */
  'ky default timeout': [10006],
} as const

/** Token handling, as token libraries do it. */
export const TOKEN_HANDLING = {
  /** simple-oauth2: `token.expired(60)` renews a minute before expiry. */
  'simple-oauth2 expired(60)': 'renews-before-expiry',
  /** openid-client `client_credentials` without a cache: a token per call. */
  'openid-client, no cache': 'token-per-call',
  /** A hand-written cache that trusts its own clock and presents the token until it is refused. */
  'cache until refused': 'until-refused',
  /** A cache that ignores the 401 and keeps its expired token (the fault the check exists for). */
  'cache ignoring 401': 'keeps-expired',
} as const
