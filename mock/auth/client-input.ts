import { checkSiret } from '../data/identifiers.js'
import type { TokenOptions } from '../options.js'
import type { ClientSettings } from './client-registry.js'
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
const CREATE = [
  'clientId',
  'secret',
  'label',
  'siret',
  'privileges',
  'tokenLifetime',
  'singleUse',
  'basicAuth',
  'secretExpiresAt',
]
const UPDATE = CREATE.filter((k) => k !== 'clientId' && k !== 'secret')

/**
 * Checks the body of `POST /__sandbox/clients` (every field optional) or `PATCH .../{id}` (no id nor
 * secret: the secret changes through rotation). Each fault is reported with the rule to follow.
 */
export function parseClientInput(
  body: unknown,
  mode: 'create' | 'update',
  o: ClientInputOptions,
): ClientInputResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, detail: 'the body must be a JSON object' }
  }
  const b = body as Record<string, unknown>
  const allowed = mode === 'create' ? CREATE : UPDATE
  const extra = Object.keys(b).filter((k) => !allowed.includes(k))
  if (extra.length)
    return {
      ok: false,
      detail: `unknown field(s) ${extra.join(', ')}; allowed: ${allowed.join(', ')}`,
    }
  const settings: Partial<ClientSettings> = {}
  const input: ClientInput = { settings }
  const fail = (detail: string): ClientInputResult => ({ ok: false, detail })

  if (b.clientId !== undefined) {
    if (typeof b.clientId !== 'string' || !ID.test(b.clientId))
      return fail('clientId must be 3 to 64 characters among letters, digits, ".", "_" and "-"')
    input.clientId = b.clientId
  }
  if (b.secret !== undefined) {
    if (typeof b.secret !== 'string') return fail('secret must be a string')
    const broken = checkSecretRule(b.secret)
    if (broken) return fail(broken)
    input.secret = b.secret
  }
  if (b.label !== undefined) {
    if (typeof b.label !== 'string' || !b.label.trim() || b.label.length > 200)
      return fail('label must be a non-empty string of at most 200 characters')
    settings.label = b.label.trim()
  }
  if (b.siret !== undefined) {
    if (typeof b.siret !== 'string' || checkSiret(b.siret))
      return fail('siret must be a valid SIRET: 14 digits with a valid Luhn key')
    settings.siret = b.siret
  }
  if (b.privileges !== undefined) {
    const list = b.privileges
    if (!Array.isArray(list) || !list.every((p) => typeof p === 'string' && PRIVILEGE.test(p))) {
      return fail('privileges must be an array of privilege names (letters, digits, _ . : -)')
    }
    const unknown = o.known.length ? list.filter((p) => !o.known.includes(p as string)) : []
    if (unknown.length)
      return fail(`unknown privilege(s) ${unknown.join(', ')}; known: ${o.known.join(', ')}`)
    settings.privileges = [...new Set(list as string[])]
  }
  if (b.tokenLifetime !== undefined) {
    const { minLifetime, maxLifetime } = o.tokens
    const t = b.tokenLifetime
    if (typeof t !== 'number' || !Number.isInteger(t) || t < minLifetime || t > maxLifetime) {
      return fail(
        `tokenLifetime must be a whole number of seconds from ${minLifetime} to ${maxLifetime}`,
      )
    }
    settings.tokenLifetime = t
  }
  for (const flag of ['singleUse', 'basicAuth'] as const) {
    if (b[flag] === undefined) continue
    if (typeof b[flag] !== 'boolean') return fail(`${flag} must be true or false`)
    settings[flag] = b[flag]
  }
  if (b.secretExpiresAt !== undefined) {
    const t = typeof b.secretExpiresAt === 'string' ? Date.parse(b.secretExpiresAt) : NaN
    if (!Number.isFinite(t))
      return fail('secretExpiresAt must be an ISO 8601 date, e.g. 2030-01-31T00:00:00Z')
    settings.secretExpiresAt = t
  }
  return { ok: true, input }
}
