import { accountStatusNow } from './client-status.js'
import type { Router } from 'express'
import { clientView } from '../auth/client-registry.js'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { resolveCaller } from './caller.js'
import { requireAdmin } from './admin-auth.js'
import { sendProblem } from './problem.js'

/**
 * A client's traffic state, under `/__sandbox/`:
 * - `GET /traffic`: its bans (reason, end), its clock and the rate-limit table it runs under, for the
 *   client itself (own credentials) or the admin (`client_id`);
 * - `GET /me`: the same with the client's account (as `GET /__sandbox/clients/{id}` shows it);
 * - `PUT /rate-limits` `{"client_id": "...", "rate_limits": {...} | "off" | null}`: the admin gives a
 *   client its own table (merged over the sandbox's), turns its limits off, or removes it (`null`).
 */
export function registerTrafficRoutes(router: Router, ctx: SandboxContext): void {
  router.get('/traffic', async (req, res) => {
    const caller = await resolveCaller(ctx, req, res, { client: true })
    if (!caller) return
    res.json({ client_id: caller.clientId, ...(await ctx.traffic.describe(caller.clientId!)) })
  })

  // The client's account page, as production's: who it is, plus its bans (reason, end), clock and
  // limits. Registered after the auth routes: a `/me` of theirs, if any, answers first.
  router.get('/me', async (req, res) => {
    const caller = await resolveCaller(ctx, req, res, { client: true })
    if (!caller) return
    const client = await ctx.auth.getClient(caller.clientId!)
    res.json({
      ...(client
        ? clientView(client, await accountStatusNow(ctx, client))
        : { client_id: caller.clientId }),
      ...(await ctx.traffic.describe(caller.clientId!)),
    })
  })

  router.put('/rate-limits', requireAdmin(ctx.options.adminToken), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    if (!('rate_limits' in body)) {
      return sendProblem(
        res,
        400,
        SANDBOX_ERRORS.INVALID_REQUEST,
        'Give "rate_limits": a table in the format of fixtures/rate-limits.yaml (every field optional), "off", or null.',
      )
    }
    const caller = await resolveCaller(ctx, req, res, { client: true })
    if (!caller) return
    const fault = await ctx.traffic.setClientTable(caller.clientId!, body.rate_limits)
    if (fault) {
      const at = fault.pointer.split('/').slice(1).join('.') || 'the top level'
      return sendProblem(
        res,
        400,
        SANDBOX_ERRORS.INVALID_REQUEST,
        `rate_limits at ${at}: ${fault.message}.`,
      )
    }
    res.json({ client_id: caller.clientId, ...(await ctx.traffic.describe(caller.clientId!)) })
  })
}
