/**
 * The sandbox's own error codes, for its admin surface and for start-up failures. Append-only: a code,
 * once published, keeps its meaning. Every code is documented in `docs/errors.md` (a test checks it).
 * API answers do not use these: they use the contract's own error shape and codes.
 */
export const SANDBOX_ERRORS = {
  /** A command-line flag or programmatic option is invalid. */
  BAD_OPTION: 'bad-option',
  /** The contract file is missing, unreadable, not YAML/JSON, or not an OpenAPI 3.0/3.1 document. */
  BAD_CONTRACT: 'bad-contract',
  /** A fixture case file is unreadable or contradicts the contract. */
  BAD_FIXTURE: 'bad-fixture',
  /** A scenario file does not match the scenario schema. */
  BAD_SCENARIO: 'bad-scenario',
  /** A rate-limit table, privilege map or other mapping file is invalid. */
  BAD_MAPPING: 'bad-mapping',
  /** The state store (lowdb file or Redis) cannot be opened or read. */
  BAD_STATE: 'bad-state',
  /** An admin request lacks the admin token, or carries a wrong one. */
  ADMIN_UNAUTHORIZED: 'admin-unauthorized',
  /** An admin or client request body or query is invalid. */
  INVALID_REQUEST: 'invalid-request',
  /** The resource named in an admin request does not exist. */
  NOT_FOUND: 'not-found',
  /** The request conflicts with the current state (e.g. a client id already taken). */
  CONFLICT: 'conflict',
  /** The state store is unreachable; the sandbox is not ready. */
  STORE_UNAVAILABLE: 'store-unavailable',
  /** An unexpected failure inside the sandbox; details are in the server log, never in the answer. */
  INTERNAL: 'internal',
} as const

export type SandboxErrorCode = (typeof SANDBOX_ERRORS)[keyof typeof SANDBOX_ERRORS]

/**
 * A misuse or bad configuration detected at start-up (jose's split: configuration fails early, client
 * input becomes an HTTP answer). The CLI prints `message` alone and exits with code 2.
 */
export class SandboxConfigError extends Error {
  override readonly name = 'SandboxConfigError'
  readonly code: SandboxErrorCode
  /** The file at fault, when there is one. */
  readonly file?: string

  constructor(
    code: SandboxErrorCode,
    message: string,
    options: { file?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    if (options.file !== undefined) this.file = options.file
  }
}

/** An RFC 9457 problem document, the envelope of every admin-surface error. */
export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  code: SandboxErrorCode
  [extension: string]: unknown
}

/** Builds the problem document for a sandbox error code. */
export function problem(
  status: number,
  code: SandboxErrorCode,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return {
    type: `urn:sandbox-twin:error:${code}`,
    title: code.replace(/-/g, ' '),
    status,
    detail,
    code,
    ...extensions,
  }
}
