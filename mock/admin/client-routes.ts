import type { Request, Response, Router } from 'express'
import { clientView, type SandboxClient } from '../auth/client-registry.js'
import { accountStatusNow } from './client-status.js'
import { clientAdmin } from '../auth/client-admin.js'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { requireAdmin } from './admin-auth.js'
import { requireAdminOrSelf, type Actor } from './caller.js'
import { sendProblem } from './problem.js'
import { clientIpOf } from '../http/client-ip.js'

const noSuchClient = (res: Response, id: string): void =>
  sendProblem(
    res,
    404,
    SANDBOX_ERRORS.NOT_FOUND,
    `No client ${id}. GET /__sandbox/clients lists them.`,
  )

/**
 * Sandbox clients, under `/__sandbox/clients`: created, listed, updated and deleted with the admin
 * token; a client may read itself with its own credentials. The secret is shown once, at creation
 * (and at each rotation, see `secret-routes.ts`).
 */
export function registerClientRoutes(router: Router, ctx: SandboxContext): void {
  const admin = requireAdmin(ctx.options.adminToken)
  const view = async (client: SandboxClient) =>
    clientView(client, await accountStatusNow(ctx, client))
  const clients = clientAdmin(ctx)
  /** Answers 400 when a client's own `rate_limits` (a partial table, `"off"`, or `null`) is invalid. */
  const badRateLimits = (res: Response, rateLimits: unknown): boolean => {
    const fault =
      rateLimits === undefined || rateLimits === null
        ? undefined
        : ctx.traffic.checkClientTable(rateLimits)
    if (!fault) return false
    const detail = `rate_limits at ${fault.pointer || '/'}: ${fault.message}`
    sendProblem(res, 400, SANDBOX_ERRORS.INVALID_REQUEST, detail)
    return true
  }
  const ip = (req: Request): string => clientIpOf(req, ctx.options.trustProxy)

  router.post('/clients', admin, async (req, res) => {
    const { rate_limits: rateLimits, ...body } = (req.body ?? {}) as Record<string, unknown>
    if (badRateLimits(res, rateLimits)) return
    const made = await clients.create(body, { by: 'admin', ip: ip(req) })
    if (!made.ok)
      return sendProblem(
        res,
        made.status,
        made.status === 409 ? SANDBOX_ERRORS.CONFLICT : SANDBOX_ERRORS.INVALID_REQUEST,
        made.detail,
      )
    const { clientId } = made.client
    // A client may carry its own rate-limit table (checked above), or "off".
    if (rateLimits !== undefined) await ctx.traffic.setClientTable(clientId, rateLimits)
    res.setHeader('cache-control', 'no-store')
    res.setHeader('location', `/__sandbox/clients/${encodeURIComponent(clientId)}`)
    // The only time the secret is shown: it is stored as a hash.
    res.status(201).json({ ...(await view(made.client)), client_secret: made.secret })
  })

  router.get('/clients', admin, async (_req, res) => {
    res.json({ clients: await Promise.all((await ctx.auth.clients.list()).map(view)) })
  })

  router.get('/clients/:id', requireAdminOrSelf(ctx), async (req, res) => {
    const client = await ctx.auth.getClient(String(req.params.id))
    if (!client) return noSuchClient(res, String(req.params.id))
    res.json(await view(client))
  })

  router.patch('/clients/:id', admin, async (req, res) => {
    const id = String(req.params.id)
    const { rate_limits: rateLimits, ...body } = (req.body ?? {}) as Record<string, unknown>
    if (badRateLimits(res, rateLimits)) return
    const changed = await clients.update(id, body, { by: 'admin', ip: ip(req) })
    if (!changed.ok)
      return changed.status === 404
        ? noSuchClient(res, id)
        : sendProblem(res, 400, SANDBOX_ERRORS.INVALID_REQUEST, changed.detail)
    if (rateLimits !== undefined) await ctx.traffic.setClientTable(id, rateLimits)
    res.json(await view(changed.client))
  })

  router.delete('/clients/:id', admin, async (req, res) => {
    const id = String(req.params.id)
    if (!(await clients.remove(id, { by: 'admin', ip: ip(req) }))) return noSuchClient(res, id)
    res.status(204).end()
  })

  router.post('/clients/:id/unlock', admin, async (req, res) => {
    await clients.unlock(String(req.params.id), { by: 'admin', ip: ip(req) })
    res.status(204).end()
  })
}

/** The actor an {@link requireAdminOrSelf} route runs for. */
export const actorOf = (res: Response): Actor => (res.locals.actor === 'admin' ? 'admin' : 'client')
