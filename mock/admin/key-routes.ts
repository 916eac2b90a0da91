import type { Router } from 'express'
import type { SandboxContext } from '../context.js'
import { requireAdmin } from './admin-auth.js'

/**
 * `POST /__sandbox/keys/rotate` (admin): a new signing key signs from now on; the previous one stays
 * in the JWKS, and keeps verifying, until its last token has expired (`tokens.maxLifetime`).
 */
export function registerKeyRoutes(router: Router, ctx: SandboxContext): void {
  router.post('/keys/rotate', requireAdmin(ctx.options.adminToken), async (_req, res) => {
    const { kid, retired } = await ctx.auth.keys.rotate()
    res.json({ kid, retired: retired || null })
  })
}
