import { createHash } from 'node:crypto'
import type { SandboxContext } from '../context.js'
import type { Operation } from '../contract/types.js'
import { findMagic } from '../data/magic-identifiers.js'
import { matchCase } from '../cases/load-cases.js'
import { sandboxNow, type Exchange, type Stage } from '../http/exchange.js'
import { claimKey, fingerprintOf, type SavedAnswer } from './idempotency.js'
import { cursorAt, fillPageFacts, findItems, pageWindow, pagingStyle } from './paging.js'
import { forcedOutcomes, planTimeline } from './processing.js'
import {
  dateTimeFields,
  propertyNames,
  propertySchema,
  successResponse,
  type ResourceOperation,
} from './resource-model.js'
import type { ResourceService } from './resource-service.js'
import { etagOf, render, resourceRepo, tagMatches, type StoredResource } from './resource-store.js'

/** State of requests made without authentication (plain-mock mode): one shared pseudo-client. */
export const PLAIN_CLIENT = '_plain'

type Repo = ReturnType<typeof resourceRepo>

/**
 * Stateful resources: operations that create, list, read, replace, patch, delete or change the status
 * of the contract's collections act on resources kept in the client's scope of the store. A fixture
 * case the request matches still wins (the data stage answers it); a magic identifier in a written
 * body answers as it does on reads. Other operations go on to the data stage.
 */
export function serveResources(ctx: SandboxContext, service: ResourceService): Stage {
  // An operation without a stateful model (every read of a read-only contract) costs one lookup.
  return (ex) => (service.operations.has(ex.operation!.id) ? serve(ex) : undefined)
  async function serve(ex: Exchange): Promise<void> {
    const op = ex.operation!
    const model = service.operations.get(op.id)!
    if (matchCase(ctx.data.cases.get(op.id), { ...ex.query, ...ex.pathParams })) return
    const body = (ex.req as { body?: unknown }).body
    const magic = findMagic(ctx.data.magic, identifiersOf(body))
    if (magic && magic.status >= 400 && !magic.scenario && model.action !== 'list') {
      return fail(ctx, ex, magic.status, undefined, magic.code)
    }
    const clientId = ex.identity?.clientId ?? PLAIN_CLIENT
    const scope = ctx.store.scope(clientId)
    const key = header(ex, 'idempotency-key')
    if (key === undefined || model.action === 'list' || model.action === 'read')
      return act(ctx, service, ex, op, model, clientId, resourceRepo(scope))
    const claim = await claimKey(scope, op.id, key, fingerprintOf(op.id, ex.path, body))
    if (claim.kind === 'replay') {
      Object.assign(ex.headers, claim.answer.headers, { 'idempotent-replayed': 'true' })
      ex.reply = {
        status: claim.answer.status,
        ...(claim.answer.raw !== undefined ? { raw: claim.answer.raw } : {}),
      }
      return
    }
    if (claim.kind !== 'first') {
      const detail =
        claim.kind === 'mismatch'
          ? "Cette clé d'idempotence a déjà servi pour une autre requête ; une nouvelle requête demande une nouvelle clé."
          : "Une requête portant cette clé d'idempotence est en cours de traitement ; réessayez dans un instant."
      return fail(ctx, ex, conflictStatus(op), detail)
    }
    try {
      await act(ctx, service, ex, op, model, clientId, resourceRepo(scope))
    } catch (err) {
      await claim.release()
      throw err
    }
    const reply = ex.reply
    if (!reply || reply.status >= 500) return claim.release()
    const headers: Record<string, string> = {}
    for (const h of ['location', 'etag']) if (ex.headers[h]) headers[h] = ex.headers[h]
    const raw =
      reply.raw !== undefined
        ? String(reply.raw)
        : reply.body !== undefined
          ? JSON.stringify(reply.body)
          : undefined
    const saved: SavedAnswer = {
      status: reply.status,
      headers,
      ...(raw !== undefined ? { raw } : {}),
    }
    await claim.save(saved)
  }
}

async function act(
  ctx: SandboxContext,
  service: ResourceService,
  ex: Exchange,
  op: Operation,
  model: ResourceOperation,
  clientId: string,
  repo: Repo,
): Promise<void> {
  const now = sandboxNow(ex)
  const collection = fill(model.collection, ex.pathParams)
  if (model.action === 'create')
    return create(ctx, service, ex, op, model, clientId, repo, collection, now)
  if (model.action === 'list') return list(ctx, ex, op, model, repo, collection, now)
  const id = ex.pathParams[model.idParam] ?? ''
  const found = await repo.get(collection, id)
  if (!found) return fail(ctx, ex, 404)
  const shown = render(found, model, now)
  const tag = etagOf(shown)
  if (model.action === 'read') {
    const none = header(ex, 'if-none-match')
    if (model.etag && none !== undefined && tagMatches(none, tag)) {
      ex.headers.etag = tag
      ex.reply = { status: 304 }
      return
    }
    return answer(ex, op, model, found, shown, 200)
  }
  const ifMatch = header(ex, 'if-match')
  if (ifMatch !== undefined && !tagMatches(ifMatch, tag)) {
    return fail(
      ctx,
      ex,
      412,
      'La ressource a changé depuis votre lecture (If-Match ne porte pas son ETag courant) ; relisez-la puis renvoyez votre requête.',
    )
  }
  const status = model.statusField ? (shown[model.statusField] as string | undefined) : undefined
  if (model.action === 'transition') {
    const t = model.transition!
    if (status !== undefined && t.from.length > 0 && !t.from.includes(status))
      return fail(
        ctx,
        ex,
        conflictStatus(op),
        `Impossible depuis le statut ${status} (possible depuis : ${t.from.join(', ')}).`,
      )
    const timeline = (found.timeline ?? []).filter((s) => s.at <= now)
    timeline.push({ status: t.to, at: now })
    const next: StoredResource = { ...found, timeline, version: found.version + 1, updatedAt: now }
    await repo.put(next)
    await service.changed(clientId, next, model, ex)
    return answer(ex, op, model, next, render(next, model, now), successResponse(op).status)
  }
  if (model.editableIn && status !== undefined && !model.editableIn.includes(status))
    return fail(
      ctx,
      ex,
      conflictStatus(op),
      `La ressource ne peut plus changer dans son statut actuel (${status}) ; elle le peut en : ${model.editableIn.join(', ')}.`,
    )
  if (model.action === 'delete') {
    await repo.delete(collection, id)
    const s = successResponse(op)
    if (s.status === 204 || !s.schema) {
      ex.reply = { status: s.status }
      return
    }
    return answer(ex, op, model, found, shown, s.status)
  }
  const body = (ex.req as { body?: unknown }).body
  const representation =
    model.action === 'patch'
      ? mergePatch(found.representation, body, model)
      : replaceWith(found.representation, found.sent, body, model)
  for (const f of dateTimeFields(model.schema))
    if (/modif|updated|maj|mise_a_jour|changed|last/i.test(f) && !sentHas(body, f))
      representation[f] = new Date(now).toISOString()
  const next: StoredResource = {
    ...found,
    representation,
    sent: body,
    version: found.version + 1,
    updatedAt: now,
  }
  await repo.put(next)
  return answer(ex, op, model, next, render(next, model, now), successResponse(op).status)
}

async function create(
  ctx: SandboxContext,
  service: ResourceService,
  ex: Exchange,
  op: Operation,
  model: ResourceOperation,
  clientId: string,
  repo: Repo,
  collection: string,
  now: number,
): Promise<void> {
  const sent = (ex.req as { body?: unknown }).body
  const success = successResponse(op)
  for (let attempt = 0; attempt < 5; attempt++) {
    const seq = await repo.next(collection)
    const params = {
      ...identifiersOf(sent),
      [`${model.idParam}#`]: `${clientId}:${collection}:${seq}`,
    }
    const generated = ctx.data.generator.generateBody(op, params, String(success.status))
    const inner = (dig(generated, model.envelope) ?? {}) as Record<string, unknown>
    const id = makeId(ctx.options.seed, model, inner[model.idField], clientId, collection, seq)
    const spec = service.processingFor(op.id, model)
    const statusFields = spec
      ? [...new Set(spec.transitions.flatMap((t) => t.to.flatMap((o) => Object.keys(o.set ?? {}))))]
      : []
    const representation: Record<string, unknown> = { ...inner }
    for (const f of statusFields) delete representation[f]
    overlay(representation, sent, model)
    representation[model.idField] = typeof inner[model.idField] === 'number' ? Number(id) : id
    for (const f of dateTimeFields(model.schema))
      if (!sentHas(sent, f) && f !== model.statusDateField)
        representation[f] = new Date(now).toISOString()
    setLinks(representation, `${collection}/${encodeURIComponent(id)}`)
    const initial = spec ? (spec.initial ?? model.statuses?.[0]) : undefined
    const record: StoredResource = {
      id,
      collection,
      representation,
      ...(sent !== undefined ? { sent } : {}),
      createdAt: now,
      updatedAt: now,
      version: 1,
      ...(spec && initial !== undefined && model.statusField
        ? {
            timeline: planTimeline(
              spec,
              initial,
              now,
              ctx.options.seed,
              id,
              forcedOutcomes(spec, sent),
            ),
            statusFields,
          }
        : {}),
    }
    if (!(await repo.add(record))) continue
    await service.changed(clientId, record, model, ex)
    ex.headers.location = `${collection}/${encodeURIComponent(id)}`
    return answer(ex, op, model, record, render(record, model, now), success.status, generated)
  }
  throw new Error(`no free identifier for ${collection} after 5 attempts`)
}

async function list(
  ctx: SandboxContext,
  ex: Exchange,
  op: Operation,
  model: ResourceOperation,
  repo: Repo,
  collection: string,
  now: number,
): Promise<void> {
  const style = pagingStyle(op)
  const window = pageWindow(style, ex.query)
  if (!window)
    return fail(ctx, ex, 400, 'Curseur de pagination inconnu ; reprenez la liste depuis le début.')
  const names = new Set(propertyNames(model.schema))
  const filters = op.parameters.filter(
    (p) =>
      p.in === 'query' &&
      names.has(p.name) &&
      ex.query[p.name] !== undefined &&
      ![style.page, style.size, style.offset, style.cursor].includes(p.name),
  )
  const all = (await repo.list(collection))
    .map((r) => render(r, model, now))
    .filter((r) => filters.every((p) => String(r[p.name]) === String(ex.query[p.name])))
  const items = all.slice(window.offset, window.offset + window.size)
  const more = window.offset + items.length < all.length
  const success = successResponse(op)
  const generated = ctx.data.generator.generateBody(op, {}, String(success.status))
  let body: unknown
  if (Array.isArray(generated) || generated === undefined) body = items
  else {
    body = generated
    const slot = findItems(body)
    if (slot) slot.holder[slot.key] = items
    const nextQuery = new URLSearchParams()
    for (const [k, v] of Object.entries(ex.query)) if (typeof v === 'string') nextQuery.set(k, v)
    let next: string | undefined
    if (more) {
      if (style.cursor) next = cursorAt(window.offset + window.size)
      else {
        if (style.offset) nextQuery.set(style.offset, String(window.offset + window.size))
        else
          nextQuery.set(style.page ?? 'page', String(Math.floor(window.offset / window.size) + 2))
        next = `${ex.path}?${nextQuery.toString()}`
      }
    }
    fillPageFacts(body, {
      total: all.length,
      page: Math.floor(window.offset / window.size) + 1,
      size: window.size,
      offset: window.offset,
      pages: Math.ceil(all.length / window.size),
      hasMore: more,
      ...(next !== undefined ? { next } : {}),
    })
  }
  ex.reply = { status: success.status, raw: JSON.stringify(body) }
}

function answer(
  ex: Exchange,
  op: Operation,
  model: ResourceOperation,
  _record: StoredResource,
  shown: Record<string, unknown>,
  status: number,
  template?: unknown,
): void {
  if (model.etag) ex.headers.etag = etagOf(shown)
  const schema = successResponse(op).schema
  let body: unknown = shown
  if (model.envelope.length > 0 && schema) {
    const outer = (
      template && typeof template === 'object' ? structuredClone(template) : {}
    ) as Record<string, unknown>
    let at = outer
    for (const k of model.envelope.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>
    at[model.envelope[model.envelope.length - 1]!] = shown
    body = outer
  }
  ex.reply = { status, raw: JSON.stringify(body) }
}

function fail(
  ctx: SandboxContext,
  ex: Exchange,
  status: number,
  detail?: string,
  code?: string,
): void {
  ex.reply = ctx.errors(ex.operation, status, {
    ...(detail ? { detail } : {}),
    ...(code ? { code } : {}),
  })
}

/** The contract's conflict status for an operation: 409 where declared, else 422 where declared, else 409. */
function conflictStatus(op: Operation): number {
  if (op.responses['409']) return 409
  return op.responses['422'] ? 422 : 409
}

const header = (ex: Exchange, name: string): string | undefined => {
  const v = ex.req.headers[name]
  return Array.isArray(v) ? v.join(', ') : v
}

const fill = (template: string, params: Record<string, string>): string =>
  template.replace(/\{([^}]+)\}/g, (_, n: string) => encodeURIComponent(params[n] ?? ''))

const dig = (body: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    body,
  )

const sentHas = (sent: unknown, f: string): boolean =>
  !!sent && typeof sent === 'object' && Object.prototype.hasOwnProperty.call(sent, f)

/** Top-level SIREN and SIRET values of a written body: magic identifiers and one company per SIREN. */
function identifiersOf(body: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!body || typeof body !== 'object' || Array.isArray(body)) return out
  for (const [k, v] of Object.entries(body))
    if (/siren|siret/i.test(k) && typeof v === 'string') out[k] = v
  return out
}

/** Copies the fields a client sent into the representation, as sent, where the schema has them. */
function overlay(target: Record<string, unknown>, sent: unknown, model: ResourceOperation): void {
  if (!sent || typeof sent !== 'object' || Array.isArray(sent)) return
  const names = new Set(propertyNames(model.schema))
  for (const [k, v] of Object.entries(sent))
    if (names.size === 0 || names.has(k))
      if (k !== model.idField && k !== model.statusField) target[k] = structuredClone(v)
}

/** PUT: the fields the previous body sent give way to the new body's. */
function replaceWith(
  current: Record<string, unknown>,
  previous: unknown,
  sent: unknown,
  model: ResourceOperation,
): Record<string, unknown> {
  const out = { ...current }
  if (previous && typeof previous === 'object')
    for (const k of Object.keys(previous)) if (k !== model.idField) delete out[k]
  overlay(out, sent, model)
  return out
}

/** PATCH: a JSON merge patch (RFC 7396) of the fields sent; `null` removes a field. */
function mergePatch(
  current: Record<string, unknown>,
  patch: unknown,
  model: ResourceOperation,
): Record<string, unknown> {
  const apply = (target: unknown, p: unknown): unknown => {
    if (!p || typeof p !== 'object' || Array.isArray(p)) return structuredClone(p)
    const out: Record<string, unknown> =
      target && typeof target === 'object' && !Array.isArray(target)
        ? { ...(target as Record<string, unknown>) }
        : {}
    for (const [k, v] of Object.entries(p)) {
      if (v === null) delete out[k]
      else out[k] = apply(out[k], v)
    }
    return out
  }
  const out = { ...current }
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return out
  for (const [k, v] of Object.entries(patch)) {
    if (k === model.idField || k === model.statusField) continue
    if (v === null) delete out[k]
    else out[k] = apply(out[k], v)
  }
  return out
}

/** `links.self` / `_links.self.href`, when the representation has them, point at the resource. */
function setLinks(r: Record<string, unknown>, path: string): void {
  for (const name of ['links', '_links']) {
    const links = r[name] as Record<string, unknown> | undefined
    if (!links || typeof links !== 'object') continue
    if (typeof links.self === 'string') links.self = path
    else if (links.self && typeof links.self === 'object')
      (links.self as Record<string, unknown>).href = path
  }
}

/**
 * A new identifier: a sequence number for integer ids, the generated value for ids with a pattern of
 * their own, else a UUID derived from the seed, the client, the collection and the sequence (stable
 * for a given run, never the same for two resources).
 */
function makeId(
  seed: number,
  model: ResourceOperation,
  generated: unknown,
  clientId: string,
  collection: string,
  seq: number,
): string {
  const s = propertySchema(model.schema, model.idField)
  if (s?.type === 'integer' || s?.type === 'number') return String(seq)
  if (typeof generated === 'string' && typeof s?.pattern === 'string' && s.format !== 'uuid')
    return generated
  const h = createHash('sha256')
    .update(`${seed}\u0000${clientId}\u0000${collection}\u0000${seq}`)
    .digest('hex')
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}
