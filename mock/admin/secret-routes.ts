import type { Router } from 'express'
import { checkSecretRule } from '../auth/secret-hash.js'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { requireAdminOrSelf } from './caller.js'
import { actorOf } from './client-routes.js'
import { sendProblem } from './problem.js'
import { clientIpOf } from '../http/client-ip.js'

/** Longest overlap a rotation may ask for, seconds. */
const MAX_OVERLAP = 30 * 86_400 // 30 days
/** Body fields of a rotation, besides the caller's own credentials. */
const ALLOWED = ['new_client_secret', 'overlap', 'client_id', 'client_secret']

/**
 * A client's secret, under `/__sandbox/clients/{id}/secret`, for the admin or the client itself
 * (CNIL §3.8: renew without interruption, revoke unilaterally on suspected compromise).
 * - `POST`: rotation. A new secret (`new_client_secret`, following the Douane's rule, or generated)
 *   is shown once; the old one keeps working for `overlap` seconds (default
 *   `tokens.rotationOverlap`; 0 = at once).
 * - `DELETE`: revocation. The secrets stop working and every live token of the client is revoked
 *   (401 00105); only the admin can then give the client a new secret, by rotation.
 */
export function registerSecretRoutes(router: Router, ctx: SandboxContext): void {
  const access = requireAdminOrSelf(ctx)

  router.post('/clients/:id/secret', access, async (req, res) => {
    const id = String(req.params.id)
    const body = (req.body ?? {}) as Record<string, unknown>
    // The caller may authenticate with client_id / client_secret in this very body: the new secret
    // has a name of its own.
    const { new_client_secret: secret, overlap = ctx.options.tokens.rotationOverlap } = body
    const extra = Object.keys(body).filter((k) => !ALLOWED.includes(k))
    if (extra.length) {
      return sendProblem(
        res,
        400,
        SANDBOX_ERRORS.INVALID_REQUEST,
        `unknown field(s) ${extra.join(', ')}; allowed: new_client_secret, overlap`,
      )
    }
    if (secret !== undefined) {
      const broken =
        typeof secret === 'string' ? checkSecretRule(secret) : 'new_client_secret must be a string'
      if (broken) return sendProblem(res, 400, SANDBOX_ERRORS.INVALID_REQUEST, broken)
    }
    if (
      typeof overlap !== 'number' ||
      !Number.isInteger(overlap) ||
      overlap < 0 ||
      overlap > MAX_OVERLAP
    ) {
      return sendProblem(
        res,
        400,
        SANDBOX_ERRORS.INVALID_REQUEST,
        `overlap must be a whole number of seconds from 0 to ${MAX_OVERLAP}`,
      )
    }
    const rotated = await ctx.auth.clients.rotateSecret(
      id,
      overlap * 1000,
      secret as string | undefined,
    )
    if (!rotated) return sendProblem(res, 404, SANDBOX_ERRORS.NOT_FOUND, `No client ${id}.`)
    const { client } = rotated
    ctx.auth.events.emit({
      type: 'client',
      clientId: id,
      action: 'secret-rotated',
      by: actorOf(res),
      ip: clientIpOf(req, ctx.options.trustProxy),
      at: ctx.options.now(),
    })
    res.setHeader('cache-control', 'no-store')
    res.json({
      client_id: id,
      client_secret: rotated.secret,
      secret_expires_at: new Date(client.secretExpiresAt).toISOString(),
      ...(client.previous
        ? { previous_secret_valid_until: new Date(client.previous.validUntil).toISOString() }
        : {}),
    })
  })

  router.delete('/clients/:id/secret', access, async (req, res) => {
    const id = String(req.params.id)
    const count = await ctx.auth.revokeSecret(id, clientIpOf(req, ctx.options.trustProxy))
    if (count === undefined)
      return sendProblem(res, 404, SANDBOX_ERRORS.NOT_FOUND, `No client ${id}.`)
    res.json({ client_id: id, secret_revoked: true, tokens_revoked: count })
  })
}
