import { guardObserver } from '../observer-guard.js'

/**
 * Facts about authentication for the journal. An event never carries a secret nor a token: only
 * client ids, token ids (`jti`), IPs and reasons.
 */
export type AuthEvent =
  | {
      type: 'token'
      clientId: string
      jti: string
      scopes: string[]
      singleUse: boolean
      /** Token expiry, sandbox-clock ms. */
      expiresAt: number
      ip: string
      origin?: string
      /** `portal_token`: minted by the admin or the console, not at `/oauth/token`. */
      model?: 'portal_token'
      /** Bytes of the answer that carried the token, once it has been sent. */
      answerBytes?: Promise<number>
      at: number
    }
  | {
      type: 'failure'
      /** As sent by the caller, when it sent one (it may name no client). */
      clientId?: string
      ip: string
      /** `unknown-client`, `bad-secret`, `secret-revoked`, `secret-expired`, `locked`, `basic-not-allowed`... */
      reason: string
      /** Where it happened: `/oauth/token`, `/oauth/revoke`, `/oauth/introspect`, `api`, `admin`. */
      endpoint: string
      origin?: string
      at: number
    }
  | {
      type: 'lockout'
      clientId: string
      ip: string
      /** Sandbox-clock ms. */ until: number
      at: number
    }
  | {
      type: 'revocation'
      clientId: string
      ip: string
      /** `token`: one access token; `secret`: the secrets and every live token of the client. */
      what: 'token' | 'secret'
      jti?: string
      /** Tokens revoked by a secret revocation. */
      tokens?: number
      at: number
    }
  | {
      type: 'client'
      clientId: string
      action: 'created' | 'updated' | 'deleted' | 'secret-rotated' | 'unlocked'
      /** `admin`, or the client itself acting with its own credentials. */
      by: 'admin' | 'client'
      ip?: string
      at: number
    }

export type AuthEventType = AuthEvent['type']
export type AuthEventOf<K extends AuthEventType> = Extract<AuthEvent, { type: K }>

/** An in-process event hook: listeners run synchronously; one that throws is logged and skipped. */
export interface AuthEvents {
  /** Listens to one type of event, or to every event with `'*'`. Returns the unsubscribe function. */
  on<K extends AuthEventType>(type: K, listener: (event: AuthEventOf<K>) => void): () => void
  on(type: '*', listener: (event: AuthEvent) => void): () => void
  /** Used by the auth module itself. */
  emit(event: AuthEvent): void
}

/** Builds the hook; `log` receives listener failures (a journal bug must not break authentication). */
export function createAuthEvents(log: (line: string) => void): AuthEvents {
  const listeners = new Map<string, Set<(event: AuthEvent) => void>>()
  const guard = guardObserver('auth event listener', log)
  return {
    on(type: string, listener: (event: never) => void) {
      const set = listeners.get(type) ?? new Set()
      listeners.set(type, set)
      const fn = listener as (event: AuthEvent) => void
      set.add(fn)
      return () => void set.delete(fn)
    },
    emit(event) {
      for (const type of [event.type, '*']) {
        for (const fn of listeners.get(type) ?? []) guard.run(() => fn(event))
      }
    },
  }
}
