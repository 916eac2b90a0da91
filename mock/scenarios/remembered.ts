import type { Store } from '../store/store.js'
import type { API_ERRORS } from '../api-errors.js'

/** An answer the sandbox keeps giving for one resource until `until` (sandbox ms): 502, 409. */
export interface RememberedAnswer {
  status: number
  code?: string
  until: number
  scenario: string
  /** The 502 repeats `meta.retry_in`, counting down to `until`. */
  retryIn: boolean
}

/** A token the sandbox treats as expired (`00103`) or blacklisted (`00105`) for the rest of its life. */
export interface TokenFault {
  code: typeof API_ERRORS.TOKEN_EXPIRED | typeof API_ERRORS.TOKEN_REVOKED
  scenario: string
}

/**
 * What scenarios leave behind, per client: a 502 with `retry_in` is given again for the same
 * resource (operation + identifying parameters) until `retry_in` has elapsed; a 409 while the same
 * request is "being processed"; a token made expired or blacklisted stays so.
 */
export interface ScenarioMemory {
  recall(clientId: string, resource: string, nowMs: number): Promise<RememberedAnswer | undefined>
  remember(
    clientId: string,
    resource: string,
    answer: RememberedAnswer,
    nowMs: number,
  ): Promise<void>
  recallToken(clientId: string, jti: string): Promise<TokenFault | undefined>
  rememberToken(clientId: string, jti: string, fault: TokenFault, ttlMs: number): Promise<void>
  /** True when the store can tell at once that nothing is remembered for any client. */
  empty(): boolean
}

const ANSWERS = 'scenario-memory'
const TOKENS = 'token-fault'

export function createScenarioMemory(store: Store): ScenarioMemory {
  return {
    async recall(clientId, resource, nowMs) {
      const a = await store.scope(clientId).get<RememberedAnswer>(ANSWERS, resource)
      return a && a.until > nowMs ? a : undefined
    },
    // The clock only moves forward: the real-time TTL is an upper bound of the sandbox-time life.
    remember: (clientId, resource, answer, nowMs) =>
      store.scope(clientId).set(ANSWERS, resource, answer, Math.max(1, answer.until - nowMs)),
    recallToken: (clientId, jti) => store.scope(clientId).get<TokenFault>(TOKENS, jti),
    rememberToken: (clientId, jti, fault, ttlMs) =>
      store.scope(clientId).set(TOKENS, jti, fault, Math.max(1, ttlMs)),
    empty: () => store.holdsAny?.(ANSWERS) === false && store.holdsAny(TOKENS) === false,
  }
}

/** The key of a resource: the operation and its identifying parameters, in a stable order. */
export function resourceKey(operationId: string, params: Record<string, string>): string {
  const sorted = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
  return `${operationId}?${sorted.join('&')}`
}
