import type { Router } from 'express'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { checkInterruption, type Interruption } from '../status/interruptions.js'
import { requireAdmin } from './admin-auth.js'
import { sendProblem } from './problem.js'

export const interruptionView = (i: Interruption, now: number): Record<string, unknown> => ({
  id: i.id,
  from: new Date(i.from).toISOString(),
  to: new Date(i.to).toISOString(),
  message: i.message,
  running: i.from <= now && now < i.to,
  created_at: new Date(i.createdAt).toISOString(),
})

/**
 * Planned interruptions, under `/__sandbox/interruptions`:
 * - `GET`: the schedule (public, as the status page shows it);
 * - `POST` `{"from": "...", "to": "...", "message": "..."}` (admin; `from` defaults to now);
 * - `DELETE /:id` (admin) cancels one.
 * While one runs, every API operation answers 503 with `Retry-After` and the message.
 */
export function registerInterruptionRoutes(router: Router, ctx: SandboxContext): void {
  const admin = requireAdmin(ctx.options.adminToken)
  router.get('/interruptions', async (_req, res) => {
    const now = ctx.options.now()
    res.json({
      interruptions: (await ctx.interruptions.list()).map((i) => interruptionView(i, now)),
    })
  })
  router.post('/interruptions', admin, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const extra = Object.keys(body).filter((k) => !['from', 'to', 'message'].includes(k))
    if (extra.length)
      return sendProblem(
        res,
        400,
        SANDBOX_ERRORS.INVALID_REQUEST,
        `unknown field(s) ${extra.join(', ')}; allowed: from, to, message`,
      )
    const now = ctx.options.now()
    const from = body.from === undefined ? now : Date.parse(String(body.from))
    const to = typeof body.to === 'string' ? Date.parse(body.to) : NaN
    const message = typeof body.message === 'string' ? body.message : ''
    const fault = checkInterruption(from, to, message, now)
    if (fault) return sendProblem(res, 400, SANDBOX_ERRORS.INVALID_REQUEST, fault)
    const made = await ctx.interruptions.create({ from, to, message })
    ctx.options.log(
      `interruption: admin announced ${made.id} from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`,
    )
    res.status(201).json(interruptionView(made, now))
  })
  router.delete('/interruptions/:id', admin, async (req, res) => {
    if (!(await ctx.interruptions.remove(String(req.params.id))))
      return sendProblem(
        res,
        404,
        SANDBOX_ERRORS.NOT_FOUND,
        `No interruption ${String(req.params.id)}. GET /__sandbox/interruptions lists them.`,
      )
    res.status(204).end()
  })
}
