import type { SandboxContext } from '../context.js'
import type { Stage } from '../http/exchange.js'
import { matchCase } from '../cases/load-cases.js'

/** Validate: checks parameters and body against the contract; failures answer 422 (or 400/415). */
export function validateRequest(ctx: SandboxContext): Stage {
  return (ex) => {
    const op = ex.operation!
    const refused = ex.bodyError
    if (refused) {
      const detail = `Corps de requête illisible : ${refused.reason}`
      const english = `Unreadable request body: ${refused.reason}`
      ex.reply = ctx.errors(op, refused.status, { parameter: 'body', detail, english })
      return
    }
    const failure = ctx.validate(op, {
      path: ex.pathParams,
      query: ex.query,
      headers: ex.req.headers,
      body: (ex.req as { body?: unknown }).body,
      ...(ex.req.headers['content-type'] ? { contentType: ex.req.headers['content-type'] } : {}),
    })
    if (!failure) return
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
