import type { Request, Response, Router } from 'express'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { resolveCaller } from './caller.js'
import {
  accountRepo,
  accountView,
  register,
  TOKEN_DELAY_MS,
  URL_DELAY_MS,
} from '../callbacks/account.js'
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
    const api = on.callbacks.api
    const body = (req.body ?? {}) as Record<string, unknown>
    const { url, token } = body
    if (url === undefined && token === undefined)
      return sendProblem(res, 400, SANDBOX_ERRORS.INVALID_REQUEST, 'Give "url", "token" or both.')
    if (url !== undefined) {
      if (typeof url !== 'string' || !/^https?:\/\/[^/]/.test(url) || url.length > 2048)
        return sendProblem(
          res,
          400,
          SANDBOX_ERRORS.INVALID_REQUEST,
          '"url" must be an http(s) URL (the common address of your call-back endpoints), at most 2048 characters.',
        )
      if (!(await ctx.callbacks.hostAllowed(url)))
        return sendProblem(
          res,
          400,
          SANDBOX_ERRORS.INVALID_REQUEST,
          `Call-backs may not go to this host. Allowed hosts: ${(await ctx.callbacks.allowedHosts()).join(', ')}. The sandbox's administrator opens others with PUT /__sandbox/callback-hosts.`,
        )
    }
    if (token !== undefined && (typeof token !== 'string' || !/^[\x21-\x7e]{8,512}$/.test(token)))
      return sendProblem(
        res,
        400,
        SANDBOX_ERRORS.INVALID_REQUEST,
        '"token" must be 8 to 512 printable characters without spaces (it is sent as Authorization: Bearer <token>).',
      )
    const clientId = caller.clientId!
    const repo = accountRepo(ctx.store.scope(clientId))
    const now = await ctx.clock.now(clientId)
    const account = await repo.get(api)
    if (typeof url === 'string') account.urls = register(account.urls, url, now, URL_DELAY_MS)
    if (typeof token === 'string')
      account.tokens = register(account.tokens, token, now, TOKEN_DELAY_MS)
    await repo.put(api, account)
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
