import type { Request, Response, Router } from 'express'
import { parseLifetime, portalTokenView } from '../auth/portal-tokens.js'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { clientIpOf } from '../http/client-ip.js'
import { requireAdmin } from './admin-auth.js'
import { requireAdminOrSelf } from './caller.js'
import { sendProblem } from './problem.js'

const MINT_FIELDS = ['lifetime', 'privileges', 'label']

/** Checks a mint body: `lifetime` (seconds or `18mo`), `privileges` (a subset), `label`. */
function readMint(
  body: unknown,
):
  | { ok: true; lifetime?: number; scopes?: string[]; label?: string }
  | { ok: false; detail: string } {
  if (body === undefined || body === null) return { ok: true }
  if (typeof body !== 'object' || Array.isArray(body))
    return { ok: false, detail: 'the body must be a JSON object' }
  const b = body as Record<string, unknown>
  const extra = Object.keys(b).filter((k) => !MINT_FIELDS.includes(k))
  if (extra.length)
    return {
      ok: false,
      detail: `unknown field(s) ${extra.join(', ')}; allowed: ${MINT_FIELDS.join(', ')}`,
    }
  const out: { ok: true; lifetime?: number; scopes?: string[]; label?: string } = { ok: true }
  if (b.lifetime !== undefined) {
    const lifetime = parseLifetime(b.lifetime)
    if (lifetime === undefined)
      return {
        ok: false,
        detail: 'lifetime must be a number of seconds or a duration such as 18mo, 1y, 90d, 12h',
      }
    out.lifetime = lifetime
  }
  if (b.privileges !== undefined) {
    if (!Array.isArray(b.privileges) || !b.privileges.every((p) => typeof p === 'string'))
      return { ok: false, detail: 'privileges must be an array of privilege names' }
    out.scopes = [...new Set(b.privileges as string[])]
  }
  if (b.label !== undefined) {
    if (typeof b.label !== 'string' || !b.label.trim() || b.label.length > 200)
      return { ok: false, detail: 'label must be a non-empty string of at most 200 characters' }
    out.label = b.label.trim()
  }
  return out
}

/**
 * Portal tokens (API Entreprise's model), under `/__sandbox/clients/{id}/tokens`: the admin mints one
 * (shown once, in the answer); the admin or the client itself lists them by `jti` and revokes them.
 */
export function registerPortalTokenRoutes(router: Router, ctx: SandboxContext): void {
  const admin = requireAdmin(ctx.options.adminToken)
  const self = requireAdminOrSelf(ctx)

  router.post('/clients/:id/tokens', admin, async (req: Request, res: Response) => {
    const id = String(req.params.id)
    const body = readMint(req.body)
    if (!body.ok) return sendProblem(res, 400, SANDBOX_ERRORS.INVALID_REQUEST, body.detail)
    const minted = await ctx.auth.portal.mint(id, {
      ...(body.lifetime !== undefined ? { lifetime: body.lifetime } : {}),
      ...(body.scopes ? { scopes: body.scopes } : {}),
      ...(body.label ? { label: body.label } : {}),
      by: 'admin',
      ip: clientIpOf(req, ctx.options.trustProxy),
    })
    if (!minted.ok) {
      const code =
        minted.status === 404
          ? SANDBOX_ERRORS.NOT_FOUND
          : minted.status === 409
            ? SANDBOX_ERRORS.CONFLICT
            : SANDBOX_ERRORS.INVALID_REQUEST
      return sendProblem(res, minted.status, code, minted.detail)
    }
    res.setHeader('cache-control', 'no-store')
    res.setHeader(
      'location',
      `/__sandbox/clients/${encodeURIComponent(id)}/tokens/${minted.record.jti}`,
    )
    // The only time the token is shown: the sandbox keeps its jti, never the token.
    res.status(201).json({
      ...portalTokenView(minted.record),
      token: minted.token,
      token_type: 'Bearer',
      expires_in: Math.round((minted.record.expiresAt - minted.record.issuedAt) / 1000),
    })
  })

  router.get('/clients/:id/tokens', self, async (req: Request, res: Response) => {
    const id = String(req.params.id)
    if (!(await ctx.auth.getClient(id)))
      return sendProblem(res, 404, SANDBOX_ERRORS.NOT_FOUND, `No client ${id}.`)
    res.json({ tokens: (await ctx.auth.portal.list(id)).map(portalTokenView) })
  })

  router.delete('/clients/:id/tokens/:jti', self, async (req: Request, res: Response) => {
    const id = String(req.params.id)
    const revoked = await ctx.auth.portal.revoke(
      id,
      String(req.params.jti),
      clientIpOf(req, ctx.options.trustProxy),
    )
    if (!revoked)
      return sendProblem(
        res,
        404,
        SANDBOX_ERRORS.NOT_FOUND,
        `Client ${id} has no portal token ${String(req.params.jti)}; GET /__sandbox/clients/${id}/tokens lists them.`,
      )
    res.json(portalTokenView(revoked))
  })
}
