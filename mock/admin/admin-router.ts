import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { StoreUnavailableError } from '../store/store.js'
import { registerClientRoutes } from './client-routes.js'
import { registerPortalTokenRoutes } from './portal-token-routes.js'
import { registerBanRoutes } from './ban-routes.js'
import { registerClockRoutes } from './clock-routes.js'
import { registerCallbackRoutes } from './callback-routes.js'
import { registerDocumentRoutes } from './document-routes.js'
import { registerHealthRoutes } from './health-routes.js'
import { registerInterruptionRoutes } from './interruption-routes.js'
import { registerJournalRoutes } from './journal-routes.js'
import { registerKeyRoutes } from './key-routes.js'
import { registerReportRoutes } from './report-routes.js'
import { registerScenarioRoutes } from './scenario-routes.js'
import { registerSecretRoutes } from './secret-routes.js'
import { registerTrafficRoutes } from './traffic-routes.js'
import { guardAdminToken } from './admin-auth.js'
import { createAdminFailures } from './admin-failures.js'
import { sendProblem } from './problem.js'
import { DEFAULTS } from '../options.js'

/**
 * The admin surface, everything under `/__sandbox/`. Each feature registers its routes here; each
 * route says who may call it (the admin token, or a client with its own credentials).
 */
export function createAdminRouter(ctx: SandboxContext, startedAt: number): Router {
  const router = express.Router()
  // Before the body is read: a guessing address costs one store read.
  router.use(
    guardAdminToken(
      ctx.options.adminToken,
      createAdminFailures(ctx.store, ctx.options.now),
      ctx.auth.events,
      ctx.options.now,
      ctx.options.trustProxy,
    ),
  )
  router.use(express.json({ limit: DEFAULTS.tuning.maxBodyBytes }))
  registerHealthRoutes(router, ctx, startedAt)
  registerDocumentRoutes(router, ctx)
  registerClientRoutes(router, ctx)
  registerPortalTokenRoutes(router, ctx)
  registerSecretRoutes(router, ctx)
  registerKeyRoutes(router, ctx)
  registerClockRoutes(router, ctx)
  registerBanRoutes(router, ctx)
  registerScenarioRoutes(router, ctx)
  registerTrafficRoutes(router, ctx)
  registerJournalRoutes(router, ctx)
  registerReportRoutes(router, ctx)
  registerInterruptionRoutes(router, ctx)
  registerCallbackRoutes(router, ctx)
  router.use((_req, res) => {
    sendProblem(
      res,
      404,
      SANDBOX_ERRORS.NOT_FOUND,
      'No such admin endpoint. See docs/admin-api.md for the list.',
    )
  })
  // Every failure of an admin request is answered here, in the admin envelope: nothing falls through
  // to the API (which would answer its own 404 and journal an admin call as an API call).
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err)
    if (err instanceof StoreUnavailableError) {
      // A route whose store call failed because Redis is down: 503, retry later.
      res.set('retry-after', '5')
      const detail =
        'The state store (Redis) is unreachable. Retry once GET /__sandbox/health says ready.'
      return sendProblem(res, 503, SANDBOX_ERRORS.STORE_UNAVAILABLE, detail)
    }
    const status = (err as { status?: unknown; statusCode?: unknown }).status
    const type = (err as { type?: unknown }).type
    if (typeof status === 'number' && status >= 400 && status < 500 && typeof type === 'string') {
      // The body parser refused the body: malformed JSON, too large, wrong charset...
      const detail =
        type === 'entity.parse.failed'
          ? 'The body is not valid JSON. Send a JSON object with Content-Type: application/json.'
          : type === 'entity.too.large'
            ? 'The body is larger than the 1 MB an admin request may carry.'
            : `The body cannot be read (${type}). Send a JSON object in UTF-8.`
      return sendProblem(res, status, SANDBOX_ERRORS.INVALID_REQUEST, detail)
    }
    // A fault inside the sandbox: the cause goes to the operator's log, never into the answer.
    ctx.options.log(
      `error: admin ${req.method} ${req.originalUrl.split('?')[0]}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    )
    sendProblem(
      res,
      500,
      SANDBOX_ERRORS.INTERNAL,
      'The sandbox failed to handle this admin request; the cause is in its log.',
    )
  })
  return router
}
