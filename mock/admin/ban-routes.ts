import type { Router } from 'express'
import type { SandboxContext } from '../context.js'
import type { BanRecord } from '../traffic/bans.js'
import { requireAdmin } from './admin-auth.js'
import { resolveCaller } from './caller.js'

const banView = (b: BanRecord): Record<string, unknown> => ({
  client_id: b.clientId,
  ip: b.ip,
  reason: b.reason,
  detail: b.detail,
  since: new Date(b.since).toISOString(),
  until: new Date(b.until).toISOString(),
})

/**
 * Bans, under `/__sandbox/bans`:
 * - `GET /bans`: the admin sees every running ban (or one client's, with `client_id`) and how many
 *   connections are held; a client sees its own with its credentials;
 * - `DELETE /bans/:client_id` and `DELETE /bans/:client_id/:ip`: the admin lifts them, and the client
 *   starts fresh rate-limit periods. A client cannot lift its own ban; it ends by itself, or sooner
 *   when the client advances its clock.
 */
export function registerBanRoutes(router: Router, ctx: SandboxContext): void {
  router.get('/bans', async (req, res) => {
    const caller = await resolveCaller(ctx, req, res, { client: false })
    if (!caller) return
    const bans = await ctx.traffic.bans.list((id) => ctx.clock.now(id), caller.clientId)
    const held =
      caller.actor === 'admin'
        ? { held_connections: ctx.traffic.holder.held, max_held: ctx.options.ban.maxHeld }
        : {}
    res.json({ bans: bans.map(banView), ...held })
  })

  const admin = requireAdmin(ctx.options.adminToken)
  router.delete('/bans/:client_id', admin, async (req, res) => {
    const lifted = await ctx.traffic.lift(String(req.params.client_id))
    ctx.options.log(`ban: admin lifted ${lifted} ban(s) of client ${String(req.params.client_id)}`)
    res.json({ lifted })
  })
  router.delete('/bans/:client_id/:ip', admin, async (req, res) => {
    const lifted = await ctx.traffic.lift(String(req.params.client_id), String(req.params.ip))
    ctx.options.log(
      `ban: admin lifted ${lifted} ban(s) of client ${String(req.params.client_id)} from ${String(req.params.ip)}`,
    )
    res.json({ lifted })
  })
}
