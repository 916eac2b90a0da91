import type { Request, Response, Router } from 'express'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { resolveCaller } from './caller.js'
import { accountRepo, accountView } from '../callbacks/account.js'
import { updateCallbackAccount } from '../callbacks/account-update.js'
import { requireAdmin } from './admin-auth.js'
import { sendProblem } from './problem.js'

const HOST = /^(\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:.]+|[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)$/

/**
 * Call-back accounts and hosts (see docs/write-apis.md):
 * - `GET /callback-account`: a client's account for the sandbox's API (status red/yellow/green, URL
 *   in force, pending URL and when it applies, whether a token is set — never the token);
 * - `PUT /callback-account` `{"url": ..., "token": ...}`: registers either or both; the first value
 *   applies at once, a change after 4 h (URL) or 15 min (token) of the client's clock;
 * - `DELETE /callback-account`: forgets it;
 * - `POST /callbacks/run`: delivers what is due now (after advancing the clock), instead of waiting
 *   for the next poll;
 * - `GET|PUT /callback-hosts` (admin only): the hosts call-backs may go to (loopback by default).
 * The admin names the client with `client_id`; a client acts on itself with its own credentials.
 */
export function registerCallbackRoutes(router: Router, ctx: SandboxContext): void {
  // With several APIs, `api` (query or body) names the account's API; by default the first that
  // calls back.
  const fallback = ctx.apis.find((a) => a.callbacks.callsBack) ?? ctx
  const apiFor = (req: Request, res: Response): SandboxContext | undefined => {
    const given = (req.query.api ??
      (req.body as Record<string, unknown> | undefined)?.api) as unknown
    if (given === undefined) return fallback
    const found = ctx.apis.find((a) => a.callbacks.api === given)
    if (found) return found
    sendProblem(
      res,
      400,
      SANDBOX_ERRORS.INVALID_REQUEST,
      `"api" names no API of this sandbox; give one of ${ctx.apis.map((a) => a.callbacks.api).join(', ')}.`,
    )
    return undefined
  }
  const view = async (on: SandboxContext, clientId: string): Promise<Record<string, unknown>> => {
    const api = on.callbacks.api
    const client = await ctx.auth.getClient(clientId)
    const now = await ctx.clock.now(clientId)
    const account = await accountRepo(ctx.store.scope(clientId)).get(api)
    return {
      client_id: clientId,
      ...accountView(api, account, on.callbacks.entitled(client?.privileges ?? []), now),
    }
  }

  router.get('/callback-account', async (req, res) => {
    const caller = await resolveCaller(ctx, req, res, { client: true })
    if (!caller) return
    const on = apiFor(req, res)
    if (on) res.json(await view(on, caller.clientId!))
  })

  router.put('/callback-account', async (req, res) => {
    const caller = await resolveCaller(ctx, req, res, { client: true })
    if (!caller) return
    const on = apiFor(req, res)
    if (!on) return
    const body = (req.body ?? {}) as Record<string, unknown>
    const clientId = caller.clientId!
    const fault = await updateCallbackAccount(
      { store: ctx.store, clock: ctx.clock, callbacks: on.callbacks },
      clientId,
      { url: body.url, token: body.token },
    )
    if (fault) return sendProblem(res, 400, SANDBOX_ERRORS.INVALID_REQUEST, fault.detail)
    res.json(await view(on, clientId))
  })

  router.delete('/callback-account', async (req, res) => {
    const caller = await resolveCaller(ctx, req, res, { client: true })
    if (!caller) return
    const on = apiFor(req, res)
    if (!on) return
    await accountRepo(ctx.store.scope(caller.clientId!)).clear(on.callbacks.api)
    res.json(await view(on, caller.clientId!))
  })

  router.post('/callbacks/run', async (req, res) => {
    const caller = await resolveCaller(ctx, req, res, { client: false })
    if (!caller) return
    for (const api of ctx.apis) await api.callbacks.runDue(caller.clientId)
    res.json({ ran: true, ...(caller.clientId ? { client_id: caller.clientId } : {}) })
  })

  const admin = requireAdmin(ctx.options.adminToken)
  router.get('/callback-hosts', admin, async (_req, res) => {
    res.json({ hosts: await ctx.callbacks.allowedHosts() })
  })
  router.put('/callback-hosts', admin, async (req, res) => {
    const hosts = ((req.body ?? {}) as { hosts?: unknown }).hosts
    if (
      !Array.isArray(hosts) ||
      hosts.length > 1000 ||
      !hosts.every((h) => typeof h === 'string' && HOST.test(h))
    )
      return sendProblem(
        res,
        400,
        SANDBOX_ERRORS.INVALID_REQUEST,
        '"hosts" must be a list of host names or IP addresses (no scheme, no port), e.g. ["127.0.0.1", "receiver.example"].',
      )
    await ctx.callbacks.setAllowedHosts((hosts as string[]).map((h) => h.replace(/^\[|\]$/g, '')))
    ctx.options.log(`call-backs: admin set the allowed hosts to ${(hosts as string[]).join(', ')}`)
    res.json({ hosts: await ctx.callbacks.allowedHosts() })
  })
}
