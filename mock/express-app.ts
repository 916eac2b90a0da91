import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express'
import { createAdminRouter } from './admin/admin-router.js'
import { createOAuthRouter } from './auth/oauth-router.js'
import type { SandboxContext } from './context.js'

/** A handler made by `make` on the first request that reaches it; the requests meanwhile wait for it. */
function whenFirstUsed(make: () => Promise<RequestHandler>): RequestHandler {
  let made: Promise<RequestHandler> | undefined
  return (req: Request, res: Response, next: NextFunction) => {
    ;(made ??= make()).then((handler) => handler(req, res, next), next)
  }
}

/**
 * What express serves: the admin surface (`/__sandbox/`), the console (`/console/`) and the
 * authorization server's endpoints. Whatever else reaches it goes to `api` (the pipeline answers
 * 404 in the contract's shape).
 */
export function createExpressApp(
  ctx: SandboxContext,
  startedAt: number,
  api: (req: Request, res: Response) => void | Promise<void>,
): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', false)
  app.use('/__sandbox', createAdminRouter(ctx, startedAt))
  // The console's pages and their code are loaded on the first request for one: a sandbox that only
  // serves its API (a CI job, a load test) starts without them.
  if (ctx.options.console.enabled)
    app.use(
      '/console',
      whenFirstUsed(async () =>
        (await import('./console/console-router.js')).createConsoleRouter(ctx),
      ),
    )
  app.use(createOAuthRouter(ctx))
  app.use((req: Request, res: Response) => void api(req, res))
  return app
}
