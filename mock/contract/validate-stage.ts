import type { SandboxContext } from '../context.js'
import type { Stage } from '../http/exchange.js'
import { LRUCache } from 'lru-cache'
import { matchCase } from '../cases/load-cases.js'
import { DEFAULTS } from '../options.js'
import type { Operation } from './types.js'

/** Longest request URL whose passing validation is remembered, characters. */
const MAX_KEPT_URL = 2048

/**
 * Validate: checks parameters and body against the contract; failures answer 422 (or 400/415).
 * Where the URL alone carries what is checked (an operation with neither a body nor header
 * parameters), a URL that passed passes again without running the validators: the same request is
 * usually sent many times.
 */
export function validateRequest(ctx: SandboxContext): Stage {
  const passed = new LRUCache<string, true>({ max: DEFAULTS.tuning.passedUrls })
  const urlOnly = new Map<Operation, boolean>()
  const byUrlOnly = (op: Operation): boolean => {
    let only = urlOnly.get(op)
    if (only === undefined) {
      only = !op.requestBody && op.parameters.every((p) => p.in === 'path' || p.in === 'query')
      urlOnly.set(op, only)
    }
    return only
  }
  return (ex) => {
    const op = ex.operation!
    const refused = ex.bodyError
    if (refused) {
      const detail = `Corps de requête illisible : ${refused.reason}`
      const english = `Unreadable request body: ${refused.reason}`
      ex.reply = ctx.errors(op, refused.status, { parameter: 'body', detail, english })
      return
    }
    const url = ex.req.url ?? ''
    const key = url.length <= MAX_KEPT_URL && byUrlOnly(op) ? `${op.id}\u0000${url}` : undefined
    if (key !== undefined && passed.has(key)) return
    const failure = ctx.validate(op, {
      path: ex.pathParams,
      query: ex.query,
      headers: ex.req.headers,
      body: (ex.req as { body?: unknown }).body,
      ...(ex.req.headers['content-type'] ? { contentType: ex.req.headers['content-type'] } : {}),
    })
    if (!failure) {
      if (key !== undefined) passed.set(key, true)
      return
    }
    // Staging's own behaviour: a fixture case the request matches exactly is served even when one of
    // its identifiers fails the format (a SIREN with a wrong Luhn key, say).
    const pinned = matchCase(ctx.data.cases.get(op.id), { ...ex.query, ...ex.pathParams })
    const name = failure.spec.parameter
    if (pinned && name !== undefined && name in pinned.params) return
    const e = ctx.errors(op, failure.status, { ...failure.spec, validation: true })
    // In the contract's `errors` list, one item per fault; another error shape keeps the first.
    const errors = (e.body as { errors?: unknown } | null)?.errors
    if (failure.also && Array.isArray(errors)) {
      for (const spec of failure.also) {
        const more = (ctx.errors(op, failure.status, spec).body as { errors?: unknown }).errors
        if (Array.isArray(more)) errors.push(...(more as unknown[]))
      }
    }
    ex.reply = e
  }
}
