import { checkSiret } from '../data/identifiers.js'
import type { TokenOptions } from '../options.js'
import { AUTH_MODES, type AuthMode, type ClientSettings } from './client-registry.js'
import { checkSecretRule } from './secret-hash.js'

/** A checked admin request body for creating or updating a client. */
export interface ClientInput {
  clientId?: string
  secret?: string
  settings: Partial<ClientSettings>
}

export type ClientInputResult = { ok: true; input: ClientInput } | { ok: false; detail: string }

export interface ClientInputOptions {
  tokens: TokenOptions
  /** Privileges the contract knows; when non-empty, any other name is refused (a typo). */
  known: readonly string[]
}

const ID = /^[A-Za-z0-9._-]{3,64}$/
const PRIVILEGE = /^[A-Za-z0-9_.:-]{1,100}$/
const SETTINGS = [
  'label',
  'siret',
  'privileges',
  'token_lifetime',
  'single_use',
  'basic_auth',
  'secret_expires_at',
  'auth_mode',
]
const CREATE = ['client_id', 'client_secret', ...SETTINGS]

type Body = Record<string, unknown>
type Check = (b: Body, s: Partial<ClientSettings>, o: ClientInputOptions) => string | undefined

/** One check per settings field: writes the setting, or says what is wrong. */
const CHECKS: Check[] = [
  (b, s) => {
    if (b.label === undefined) return undefined
    if (typeof b.label !== 'string' || !b.label.trim() || b.label.length > 200) {
      return 'label must be a non-empty string of at most 200 characters'
    }
    s.label = b.label.trim()
    return undefined
  },
  (b, s) => {
    if (b.siret === undefined) return undefined
    if (typeof b.siret !== 'string' || checkSiret(b.siret))
      return 'siret must be a valid SIRET: 14 digits with a valid Luhn key'
    s.siret = b.siret
    return undefined
  },
  (b, s, o) => {
    const list = b.privileges
    if (list === undefined) return undefined
    if (!Array.isArray(list) || !list.every((p) => typeof p === 'string' && PRIVILEGE.test(p))) {
      return 'privileges must be an array of privilege names (letters, digits, _ . : -)'
    }
    const unknown = o.known.length ? list.filter((p) => !o.known.includes(p as string)) : []
    if (unknown.length)
      return `unknown privilege(s) ${unknown.join(', ')}; known: ${o.known.join(', ')}`
    s.privileges = [...new Set(list as string[])]
    return undefined
  },
  (b, s, o) => {
    const t = b.token_lifetime
    if (t === undefined) return undefined
    const { minLifetime, maxLifetime } = o.tokens
    if (typeof t !== 'number' || !Number.isInteger(t) || t < minLifetime || t > maxLifetime) {
      return `token_lifetime must be a whole number of seconds from ${minLifetime} to ${maxLifetime}`
    }
    s.tokenLifetime = t
    return undefined
  },
  (b, s) => {
    if (b.single_use === undefined) return undefined
    if (typeof b.single_use !== 'boolean') return 'single_use must be true or false'
    s.singleUse = b.single_use
    return undefined
  },
  (b, s) => {
    if (b.basic_auth === undefined) return undefined
    if (typeof b.basic_auth !== 'boolean') return 'basic_auth must be true or false'
    s.basicAuth = b.basic_auth
    return undefined
  },
  (b, s) => {
    if (b.auth_mode === undefined) return undefined
    const list = typeof b.auth_mode === 'string' ? [b.auth_mode] : b.auth_mode
    if (
      !Array.isArray(list) ||
      list.length === 0 ||
      !list.every((m) => AUTH_MODES.includes(m as AuthMode))
    )
      return `auth_mode must be one or more of ${AUTH_MODES.join(', ')} (a string or an array)`
    const modes = [...new Set(list as AuthMode[])]
    if (s.basicAuth !== undefined && s.basicAuth !== modes.includes('basic'))
      return 'basic_auth contradicts auth_mode: give auth_mode alone (basic in it allows Basic)'
    s.authModes = modes
    s.basicAuth = modes.includes('basic')
    return undefined
  },
  (b, s) => {
    if (b.secret_expires_at === undefined) return undefined
    const t = typeof b.secret_expires_at === 'string' ? Date.parse(b.secret_expires_at) : NaN
    if (!Number.isFinite(t))
      return 'secret_expires_at must be an ISO 8601 date, e.g. 2030-01-31T00:00:00Z'
    s.secretExpiresAt = t
    return undefined
  },
]

/**
 * Checks the body of `POST /__sandbox/clients` (every field optional) or `PATCH .../{id}` (no id nor
 * secret: the secret changes through rotation). Field names are snake_case, as on the rest of the
 * admin surface. Each fault is reported with the rule to follow.
 */
export function parseClientInput(
  body: unknown,
  mode: 'create' | 'update',
  o: ClientInputOptions,
): ClientInputResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, detail: 'the body must be a JSON object' }
  }
  const b = body as Body
  const allowed = mode === 'create' ? CREATE : SETTINGS
  const extra = Object.keys(b).filter((k) => !allowed.includes(k))
  if (extra.length)
    return {
      ok: false,
      detail: `unknown field(s) ${extra.join(', ')}; allowed: ${allowed.join(', ')}`,
    }
  const input: ClientInput = { settings: {} }
  if (b.client_id !== undefined) {
    if (typeof b.client_id !== 'string' || !ID.test(b.client_id)) {
      return {
        ok: false,
        detail: 'client_id must be 3 to 64 characters among letters, digits, ".", "_" and "-"',
      }
    }
    input.clientId = b.client_id
  }
  if (b.client_secret !== undefined) {
    const broken =
      typeof b.client_secret === 'string'
        ? checkSecretRule(b.client_secret)
        : 'client_secret must be a string'
    if (broken) return { ok: false, detail: broken }
    input.secret = b.client_secret as string
  }
  for (const check of CHECKS) {
    const detail = check(b, input.settings, o)
    if (detail) return { ok: false, detail }
  }
  return { ok: true, input }
}
