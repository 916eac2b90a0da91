/**
 * Error codes of the API Entreprise contract family, as they appear in `errors[].code` of an API
 * answer (`mock/errors.ts` holds the sandbox's own codes, for its admin surface). The stages that
 * answer with one of these name it from here; the body itself comes from the contract's own example
 * carrying that code when it has one (`contract/error-body.ts`). Codes a provider adds (`01003` for
 * INSEE, `04003` for URSSAF...) come from the contract and are not listed.
 */
export const API_ERRORS = {
  /** 401: no token, a token that does not verify, or client credentials refused. */
  TOKEN_INVALID: '00101',
  /** 401: the token expired on the client's sandbox clock, or a single-use token was already used. */
  TOKEN_EXPIRED: '00103',
  /** 401: the token was revoked (blacklisted). */
  TOKEN_REVOKED: '00105',
  /** 403: the token is valid but holds none of the operation's privileges. */
  INSUFFICIENT_PRIVILEGES: '00100',
  /** 429: too many requests in the period (rate limit, or client authentication lockout). */
  TOO_MANY_REQUESTS: '00429',
  /** 409: a request with the same token and parameters is still being processed. */
  CONFLICT: '00015',
  /** 422: the `context` traceability parameter is missing. */
  MISSING_CONTEXT: '00201',
  /** 422: the `object` traceability parameter is missing. */
  MISSING_OBJECT: '00202',
  /** 422: the `recipient` traceability parameter is missing. */
  MISSING_RECIPIENT: '00203',
  /** 422: `recipient` is not a valid SIRET. */
  INVALID_RECIPIENT: '00210',
  /** 422: the SIREN is malformed. */
  INVALID_SIREN: '00301',
  /** 422: the SIRET is malformed. */
  INVALID_SIRET: '00302',
  /** 422: a parameter is invalid, when the contract has no example for it (sandbox fallback). */
  INVALID_PARAMETER: '00001',
  /** 400: the request is malformed (sandbox fallback when the contract has no 400 example). */
  BAD_REQUEST: '00400',
  /** 404: no such entity, or no operation at this path (sandbox fallback). */
  NOT_FOUND: '00404',
  /** 405: the path exists, not with this method (sandbox fallback). */
  METHOD_NOT_ALLOWED: '00405',
  /** 451: the entity is not publicly disclosable (sandbox fallback). */
  NON_DIFFUSIBLE: '00451',
  /** 500: an internal failure, or no stage produced an answer (sandbox fallback). */
  INTERNAL: '00500',
  /** 502: the data provider answered with an error (sandbox fallback). */
  PROVIDER_ERROR: '00502',
  /** 503: maintenance, or the sandbox's state store is unreachable (sandbox fallback). */
  UNAVAILABLE: '00503',
  /** 504: the data provider did not answer in time (sandbox fallback). */
  PROVIDER_TIMEOUT: '00504',
  /** Any other status, when neither the contract nor this list has a code for it. */
  UNKNOWN: '00000',
} as const

/** One of the {@link API_ERRORS} codes. */
export type ApiErrorCode = (typeof API_ERRORS)[keyof typeof API_ERRORS]

/** The codes a refused access token is answered with (401). */
export type TokenErrorCode =
  | typeof API_ERRORS.TOKEN_INVALID
  | typeof API_ERRORS.TOKEN_EXPIRED
  | typeof API_ERRORS.TOKEN_REVOKED
