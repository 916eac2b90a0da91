import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { StoreUnavailableError } from '../store/store.js'
import { registerClientRoutes } from './client-routes.js'
import { registerBanRoutes } from './ban-routes.js'
import { registerClockRoutes } from './clock-routes.js'
import { registerDocumentRoutes } from './document-routes.js'
import { registerHealthRoutes } from './health-routes.js'
import { registerJournalRoutes } from './journal-routes.js'
import { registerKeyRoutes } from './key-routes.js'
import { registerReportRoutes } from './report-routes.js'
import { registerScenarioRoutes } from './scenario-routes.js'
import { registerSecretRoutes } from './secret-routes.js'
import { registerTrafficRoutes } from './traffic-routes.js'
import { sendProblem } from './problem.js'

/**
 * The admin surface, everything under `/__sandbox/`. Each feature registers its routes here; each
 * route says who may call it (the admin token, or a client with its own credentials).
 */
export function createAdminRouter(ctx: SandboxContext, startedAt: number): Router {
  const router = express.Router()
  router.use(express.json({ limit: '1mb' }))
  registerHealthRoutes(router, ctx, startedAt)
  registerDocumentRoutes(router, ctx)
  registerClientRoutes(router, ctx)
  registerSecretRoutes(router, ctx)
  registerKeyRoutes(router, ctx)
  registerClockRoutes(router, ctx)
  registerBanRoutes(router, ctx)
  registerScenarioRoutes(router, ctx)
  registerTrafficRoutes(router, ctx)
  registerJournalRoutes(router, ctx)
  registerReportRoutes(router, ctx)
  router.use((_req, res) => {
    sendProblem(
      res,
      404,
      SANDBOX_ERRORS.NOT_FOUND,
      'No such admin endpoint. See docs/admin-api.md for the list.',
    )
  })
  // A route whose store call failed because Redis is down: 503, not the app's generic error answer.
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof StoreUnavailableError)) return next(err)
    res.set('retry-after', '5')
    const detail =
      'The state store (Redis) is unreachable. Retry once GET /__sandbox/health says ready.'
    sendProblem(res, 503, SANDBOX_ERRORS.STORE_UNAVAILABLE, detail)
  })
  return router
}
