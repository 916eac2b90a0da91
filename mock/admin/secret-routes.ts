import type { Router } from 'express'
import { checkSecretRule } from '../auth/secret-hash.js'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { requireAdminOrSelf } from './client-access.js'
import { actorOf } from './client-routes.js'
import { sendProblem } from './problem.js'

/** Longest overlap a rotation may ask for, seconds. */
const MAX_OVERLAP = 30 * 86_400 // 30 days

/**
 * A client's secret, under `/__sandbox/clients/{id}/secret`, for the admin or the client itself
 * (CNIL §3.8: renew without interruption, revoke unilaterally on suspected compromise).
 * - `POST`: rotation. A new secret (given, following the Douane's rule, or generated) is shown once;
 *   the old one keeps working for `overlap` seconds (default `tokens.rotationOverlap`; 0 = at once).
 * - `DELETE`: revocation. The secrets stop working and every live token of the client is revoked
 *   (401 00105); only the admin can then give the client a new secret, by rotation.
 */
export function registerSecretRoutes(router: Router, ctx: SandboxContext): void {
  const access = requireAdminOrSelf(ctx)

  router.post('/clients/:id/secret', access, async (req, res) => {
    const id = String(req.params.id)
    const body = (req.body ?? {}) as Record<string, unknown>
    const { secret, overlap = ctx.options.tokens.rotationOverlap } = body
    if (secret !== undefined) {
      const broken =
        typeof secret === 'string' ? checkSecretRule(secret) : 'secret must be a string'
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
    const current = await ctx.auth.getClient(id)
    // A revoked client cannot rotate by itself: it no longer has credentials that work.
    if (!current) return sendProblem(res, 404, SANDBOX_ERRORS.NOT_FOUND, `No client ${id}.`)
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
      ip: req.socket.remoteAddress ?? 'unknown',
      at: ctx.options.now(),
    })
    res.setHeader('cache-control', 'no-store')
    res.json({
      clientId: id,
      clientSecret: rotated.secret,
      secretExpiresAt: new Date(client.secretExpiresAt).toISOString(),
      ...(client.previous
        ? { previousSecretValidUntil: new Date(client.previous.validUntil).toISOString() }
        : {}),
    })
  })

  router.delete('/clients/:id/secret', access, async (req, res) => {
    const id = String(req.params.id)
    const count = await ctx.auth.revokeSecret(id, req.socket.remoteAddress ?? 'unknown')
    if (count === undefined)
      return sendProblem(res, 404, SANDBOX_ERRORS.NOT_FOUND, `No client ${id}.`)
    res.json({ clientId: id, secretRevoked: true, tokensRevoked: count })
  })
}
