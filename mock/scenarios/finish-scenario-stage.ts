import type { SandboxContext } from '../context.js'
import type { Exchange, Stage } from '../http/exchange.js'
import { dribbleReply, truncateReply } from './network-faults.js'
import { degradeBody, hashString } from './partial.js'

/** JSON body of a reply, parsed when it was resolved pre-serialised. */
function jsonBody(reply: { body?: unknown; raw?: string | Buffer; contentType?: string }): unknown {
  if (reply.body !== undefined) return reply.body
  if (reply.raw === undefined || (reply.contentType && !/json/i.test(reply.contentType)))
    return undefined
  try {
    return JSON.parse(reply.raw.toString())
  } catch {
    return undefined
  }
}

/**
 * Finish scenario, the last response stage: effects that need the resolved body. `partial` turns a
 * 2XX JSON body into production's 206 (chosen or random leaves become "Donnée indisponible");
 * `truncate` and `dribble` take the socket over to send the body cut short or slowly.
 */
export function finishScenario(ctx: SandboxContext): Stage {
  // Sync when nothing is pending (nearly every answer): no promise, no microtask turn.
  return (ex) => (ex.pendingEffect && ex.reply ? finish(ex) : undefined)
  async function finish(ex: Exchange): Promise<void> {
    const pending = ex.pendingEffect!
    if (!ex.reply) return
    ex.pendingEffect = undefined
    const { effect } = pending
    if (effect.type === 'partial') {
      const body = jsonBody(ex.reply)
      if (ex.reply.status < 200 || ex.reply.status > 299 || body === undefined) return
      const fields = effect.fields ?? []
      const random = effect.random ?? (fields.length ? 0 : 2)
      // Same resource, same blanks: the draw depends on the seed and the resource, not the call.
      const salt = hashString(`${ex.operation?.id ?? ''} ${ex.path}`)
      const keep = Object.values(ex.pathParams)
      const out = degradeBody(body, fields, random, pending.rule?.seed ?? 1, salt, keep)
      ex.reply = { status: 206, body: out.body }
      ex.notes.unavailable = out.paths
      return
    }
    if (effect.type === 'truncate') return truncateReply(ex, effect.keep ?? 0.5)
    if (effect.type === 'dribble') {
      return dribbleReply(
        ex,
        effect.chunkBytes ?? 64,
        (effect.intervalMs ?? 500) * ctx.options.delayFactor,
      )
    }
  }
}
