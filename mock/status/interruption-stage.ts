import type { SandboxContext } from '../context.js'
import type { Stage } from '../http/exchange.js'

/**
 * During a planned interruption every API operation answers 503 with `Retry-After` (seconds to its
 * end) and the operator's message, in the contract's error shape, as production does during
 * maintenance. One comparison per request when none is scheduled.
 */
export function answerInterruption(ctx: SandboxContext): Stage {
  return (ex) => {
    const i = ctx.interruptions.current(ex.receivedAt)
    if (!i) return
    ex.headers['retry-after'] = String(Math.max(1, Math.ceil((i.to - ex.receivedAt) / 1000)))
    ex.reply = ctx.errors(ex.operation, 503, { detail: i.message, title: 'Service interrompu' })
  }
}
