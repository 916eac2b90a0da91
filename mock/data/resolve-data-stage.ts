import { LRUCache } from 'lru-cache'
import type { SandboxContext } from '../context.js'
import type { MediaSpec, Operation } from '../contract/types.js'
import { matchCase } from '../cases/load-cases.js'
import { paramsOf, type Exchange, type Reply, type Stage } from '../http/exchange.js'
import { findMagic } from './magic-identifiers.js'
import type { DataSources } from './data-sources.js'
import { documentUrl } from './documents.js'
import { chooseMedia, notAcceptable } from './negotiate-media.js'
import { DEFAULTS } from '../options.js'

export type { DataSources } from './data-sources.js'

/** Longest `Accept` header whose negotiation is remembered, characters. */
const MAX_KEPT_ACCEPT = 256
/** Negotiations remembered (operation and `Accept`); past it they start over. */
const MAX_KEPT_CHOICES = 1000

/**
 * Resolve data: a fixture case whose params the request carries (most specific first), else a magic
 * identifier's answer, else a body generated from the contract, coherent for the identifier. Generated
 * bodies are deterministic, so they are cached serialised.
 */
export function resolveData(ctx: SandboxContext, sources: DataSources): Stage {
  const cache = new LRUCache<string, string>({
    max: sources.cacheEntries ?? DEFAULTS.tuning.generatedBodies,
  })
  // Answers in another media type than JSON (CSV, PDF, XML...), bounded in bytes.
  const other = new LRUCache<string, { raw: string | Buffer; contentType: string }>({
    max: 500,
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (v) => Math.max(1, v.raw.length),
  })
  // The media type chosen, by operation and `Accept` (clients send the same one call after call).
  const chosen = new Map<string, MediaSpec | null | undefined>()
  const mediaFor = (
    op: Operation,
    status: string,
    accept: string | undefined,
  ): MediaSpec | null | undefined => {
    if (accept !== undefined && accept.length > MAX_KEPT_ACCEPT)
      return chooseMedia(op, status, accept)
    const key = accept === undefined ? op.id : `${op.id}\u0000${accept}`
    let media = chosen.get(key)
    if (media === undefined && !chosen.has(key)) {
      media = chooseMedia(op, status, accept)
      if (chosen.size >= MAX_KEPT_CHOICES) chosen.clear()
      chosen.set(key, media)
    }
    return media
  }
  return (ex) => {
    const op = ex.operation!
    const params = paramsOf(ex)
    const cases = sources.cases.get(op.id)
    const fixture = cases && matchCase(cases, { ...ex.query, ...ex.pathParams })
    if (fixture) {
      ex.notes.fixture = fixture.file
      ex.reply = { status: fixture.status, raw: fixture.payload }
      return
    }
    const magic = findMagic(sources.magic, params)
    if (magic && magic.status >= 400 && !magic.scenario) {
      ex.notes.magic = magic.identifier
      ex.reply = ctx.errors(op, magic.status, magic.code ? { code: magic.code } : {})
      return
    }
    const status = successStatus(op)
    const base = documentBase(ctx, ex)
    if (status.charCodeAt(0) === 0x33 /* 3 */) {
      // An operation that only redirects (a file served elsewhere): to a document the sandbox serves.
      const id = Object.values(params).find((v) => /^[A-Za-z0-9_.-]+$/.test(v)) ?? 'document'
      ex.headers.location = documentUrl(base ?? ctx.options.publicUrl, op.id, id)
      ex.reply = { status: Number(status) }
      return
    }
    // The media type the client accepts among those the response declares; none: 406.
    const media = mediaFor(op, status, ex.req.headers.accept)
    if (media === null) {
      ex.reply = ctx.errors(op, 406, notAcceptable(op, status))
      return
    }
    if (media) {
      const key = `${op.id}\u0000${base ?? ''}\u0000${media.type}\u0000${JSON.stringify(params)}`
      let body = other.get(key)
      if (!body) {
        body = sources.generator.generateMedia(op, params, status, media, base)
        other.set(key, body)
      }
      ex.reply = { status: Number(status) || 200, raw: body.raw, contentType: body.contentType }
      return
    }
    const key = `${op.id}\u0000${base ?? ''}\u0000${JSON.stringify(params)}`
    let raw = cache.get(key)
    if (raw === undefined) {
      raw = JSON.stringify(sources.generator.generateBody(op, params, status, base))
      cache.set(key, raw)
    }
    ex.reply = { status: Number(status) || 200, raw } satisfies Reply
  }
}

/**
 * Base URL of document links: the configured public URL, or, when none was set (a sandbox listening
 * on a random port), the host the request was sent to, so that links work wherever the client is.
 */
function documentBase(ctx: SandboxContext, ex: Exchange): string | undefined {
  if (!ctx.options.publicUrlFromHost) return undefined
  const host = ex.req.headers.host
  return host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? `http://${host}` : undefined
}

const statusOf = new WeakMap<Operation, string>()

/**
 * The operation's first declared 2XX status, else its first 3XX (`'200'` when it declares neither),
 * found once per operation.
 */
function successStatus(op: Operation): string {
  let status = statusOf.get(op)
  if (status === undefined) {
    const declared = Object.keys(op.responses)
    status =
      declared.find((s) => /^2\d\d$/.test(s)) ??
      declared.find((s) => /^30[1-8]$/.test(s) && s !== '304' && s !== '305' && s !== '306') ??
      '200'
    statusOf.set(op, status)
  }
  return status
}
