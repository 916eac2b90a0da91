import type { Router } from 'express'
import type { SandboxContext } from '../context.js'
import { withdrawKey } from '../auth/withdraw-key.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { requireAdmin } from './admin-auth.js'
import { sendProblem } from './problem.js'

/**
 * Signing keys (admin):
 * - `POST /__sandbox/keys/rotate`: a new signing key signs from now on; the previous one stays in the
 *   JWKS, and keeps verifying, until its last token has expired (the longest lifetime it signed);
 * - `DELETE /__sandbox/keys/{kid}`: withdraws a key at once (a leaked one): it leaves the JWKS and
 *   its tokens are refused; the active key is replaced first. The attestation key (`attestation-…`)
 *   is replaced the same way.
 */
export function registerKeyRoutes(router: Router, ctx: SandboxContext): void {
  const admin = requireAdmin(ctx.options.adminToken)
  router.post('/keys/rotate', admin, async (_req, res) => {
    const { kid, retired } = await ctx.auth.keys.rotate()
    res.json({ kid, retired: retired || null })
  })
  router.delete('/keys/:kid', admin, async (req, res): Promise<void> => {
    const kid = String(req.params.kid)
    const done = await withdrawKey(ctx, kid)
    if (done) {
      ctx.options.log(
        done.kind === 'attestation'
          ? `keys: admin withdrew attestation key ${kid} (new ${done.active})`
          : `keys: admin withdrew signing key ${kid}; its tokens are refused`,
      )
      res.json({ withdrawn: done.withdrawn, active: done.active })
      return
    }
    sendProblem(
      res,
      404,
      SANDBOX_ERRORS.NOT_FOUND,
      `No key ${kid} in this sandbox: GET /.well-known/jwks.json lists the keys it publishes.`,
    )
  })
}
