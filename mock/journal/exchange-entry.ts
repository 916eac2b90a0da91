import { paramsOf, sandboxNow, type Exchange, type JournalNotes } from '../http/exchange.js'
import { TRACEABILITY_PARAMS } from '../contract/data-params.js'
import { peekClientId } from '../traffic/peek-client.js'
import { isoFormatter, isoTime } from './iso-time.js'
import type { JournalEntry, JournalOutcome, NewJournalEntry } from './journal-entry.js'

/** Notes stages leave on an exchange that the journal lifts into entry fields of their own. */
const LIFTED_NOTES = new Set<keyof JournalNotes>([
  'fields',
  'withheld',
  'fieldScopes',
  'stalled',
  'origin',
  'ban',
  'held',
  'authClientId',
  'privileges',
])

const arrivalIso = isoFormatter()
const expiryIso = isoFormatter()

/**
 * The journal entry of an exchange whose response has closed: arrival, caller, operation and data
 * reference, traceability parameters, answer (status, code, retry hints), how it ended, fields
 * delivered, lifted notes. Never a token, a secret or a body.
 */
export function exchangeEntry(
  ex: Exchange,
  id: string,
  latencyMs: number,
  outcome: JournalOutcome,
  bytes: number,
): JournalEntry {
  const { identity, operation: op, notes } = ex
  const at = arrivalIso(ex.receivedAt)
  const sandboxAt = ex.clockOffset === 0 ? at : isoTime(sandboxNow(ex))
  const entry: JournalEntry = {
    id,
    kind: 'api',
    at,
    sandboxAt,
    ip: ex.ip,
    method: ex.method,
    path: ex.path,
    outcome,
    latencyMs,
    bytes: Math.max(0, bytes),
    clientClosed: outcome === 'client-closed',
  }
  if (identity) {
    entry.clientId = identity.clientId
    entry.authMode = identity.mode
    entry.scopes = identity.scopes
    if (identity.jti !== undefined) entry.jti = identity.jti
    if (identity.expiresAt !== undefined) entry.tokenExpiresAt = expiryIso(identity.expiresAt)
    if (notes.tokenConsumed) entry.singleUse = true
  } else {
    Object.assign(entry, unverifiedCaller(ex))
  }
  if (op) {
    entry.operation = op.id
    if (op.api !== undefined) entry.api = op.api
    // The privileges authentication enforced (the contract's, else the privilege map's).
    const required = notes.privileges ?? op.privileges
    if (required.length > 0) entry.privileges = required
    const ref = paramsOf(ex)
    if (Object.keys(ref).length > 0) entry.ref = ref
  }
  if (ex.rateGroup !== undefined) entry.rateGroup = ex.rateGroup
  for (const name of TRACEABILITY_PARAMS) {
    const value = first(ex.query[name])
    if (value !== undefined) entry[name as 'context' | 'recipient' | 'object'] = value
  }
  if (ex.res.headersSent) entry.status = ex.res.statusCode
  if (ex.reply?.code !== undefined && ex.res.headersSent) entry.code = ex.reply.code
  if (ex.scenario !== undefined) entry.scenario = ex.scenario
  // Retry-After and retry_in come with refusals (429, 503, 502...): a success is not searched for them.
  if (entry.status !== undefined && entry.status >= 400) {
    const retryAfter = Number(header(ex, 'retry-after') ?? NaN)
    if (Number.isFinite(retryAfter)) entry.retryAfter = retryAfter
    const retryIn = retryInOf(ex)
    if (retryIn !== undefined) entry.retryIn = retryIn
  }
  if (outcome === 'client-closed') entry.clientClosedAfterMs = latencyMs
  const { ban } = notes
  if (ban) {
    entry.banned = true
    entry.stalled = true
    entry.banUntil = ban.until
  }
  if (stalledOnPurpose(notes)) entry.stalled = true
  if (notes.fields) entry.fields = notes.fields
  if (notes.withheld) entry.withheld = notes.withheld
  if (notes.fieldScopes) entry.fieldScopes = notes.fieldScopes
  const origin = ex.req.headers.origin
  if (origin !== undefined) entry.origin = origin
  let rest: Record<string, unknown> | undefined
  let key: keyof JournalNotes
  for (key in notes) {
    if (LIFTED_NOTES.has(key)) continue
    rest ??= {}
    rest[key] = notes[key]
  }
  if (rest) entry.notes = rest
  return entry
}

/**
 * Who a refused or held request came from, when no identity was set: a bearer token whose signature
 * checked but that was refused (expired, revoked, lacking the privilege: `authClientId` is set), or a
 * connection held because the client it names is banned. The `jti` is read from the token's payload
 * (never the token itself), so that the verdict can tell a retry with the same refused token.
 */
function unverifiedCaller(ex: Exchange): Partial<NewJournalEntry> {
  const header = ex.req.headers.authorization
  const bearer = header !== undefined && /^bearer /i.test(header)
  const named = ex.notes.authClientId
  const clientId = bearer && named ? named : ex.notes.ban ? peekClientId(ex.req) : undefined
  if (clientId === undefined) return {}
  const jti = bearer ? peekJti(header.slice(7).trim()) : undefined
  return { clientId, ...(bearer ? { authMode: 'bearer' as const } : {}), ...(jti ? { jti } : {}) }
}

function peekJti(token: string): string | undefined {
  try {
    const claims = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { jti?: unknown }
    return typeof claims.jti === 'string' && claims.jti.length <= 200 ? claims.jti : undefined
  } catch {
    return undefined
  }
}

/**
 * True when a stage withheld or slowed the answer on purpose: a held connection (ban, hang), the
 * provider wait before a 504, scenario latency, a dribbled body (notes set by the traffic and scenario
 * stages), or any stage that sets `notes.stalled`.
 */
function stalledOnPurpose(notes: JournalNotes): boolean {
  if (notes.stalled || notes.held || notes.effect === 'provider-timeout') return true
  if (notes.delayMs !== undefined && notes.delayMs > 0) return true
  return notes.fault !== undefined && /^(hang|dribbled)/.test(notes.fault)
}

const first = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? v[0] : v

/** A response header the stages set, whatever its case. */
function header(ex: Exchange, name: string): string | undefined {
  for (const [k, v] of Object.entries(ex.headers)) if (k.toLowerCase() === name) return v
  const set = ex.res.getHeader(name)
  return set === undefined ? undefined : String(set)
}

/** `meta.retry_in` of the first error in the answer's body (parsed only for error answers). */
function retryInOf(ex: Exchange): number | undefined {
  const reply = ex.reply
  if (!reply) return undefined
  let body = reply.body
  if (body === undefined && typeof reply.raw === 'string' && reply.raw.length < 65_536) {
    try {
      body = JSON.parse(reply.raw)
    } catch {
      return undefined
    }
  }
  const errors = (body as { errors?: Array<{ meta?: { retry_in?: unknown } }> } | null)?.errors
  const value = Array.isArray(errors) ? errors[0]?.meta?.retry_in : undefined
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}
