import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import type { SandboxContext } from '../context.js'
import { FORM_LIMIT } from './form-body.js'
import { introspectEndpoint } from './introspect-endpoint.js'
import { sendOAuthError } from './oauth-reply.js'
import { revokeEndpoint } from './revoke-endpoint.js'
import { tokenEndpoint } from './token-endpoint.js'
import { discoveryHandlers, limitDiscovery } from './well-known.js'

/**
 * The authorization server: `/oauth/token`, `/oauth/revoke`, `/oauth/introspect` and the two
 * `/.well-known/` documents. Mounted before the API's JSON body parser: OAuth bodies are read raw,
 * so that a JSON body or a repeated parameter is refused rather than silently reinterpreted. No CORS
 * header anywhere: tokens are for back ends only.
 */
export function createOAuthRouter(ctx: SandboxContext): Router {
  const router = express.Router()
  const raw = express.raw({ type: () => true, limit: FORM_LIMIT })
  const post = (path: string, handler: (req: Request, res: Response) => Promise<void>): void => {
    router.post(path, raw, (req, res, next) => void handler(req, res).catch(next))
    router.all(path, (req, res) => {
      res.setHeader('allow', 'POST')
      sendOAuthError(
        res,
        405,
        'invalid_request',
        `${req.method} is not allowed on ${path}; use POST with a form body`,
      )
    })
  }
  post('/oauth/token', tokenEndpoint(ctx))
  post('/oauth/revoke', revokeEndpoint(ctx))
  post('/oauth/introspect', introspectEndpoint(ctx))

  const discovery = discoveryHandlers(ctx)
  const limit = limitDiscovery(ctx)
  const get = (
    path: string,
    handler: (req: Request, res: Response) => void | Promise<void>,
  ): void => {
    router.get(
      path,
      (req, res, next) =>
        void limit(req, res, () => void Promise.resolve(handler(req, res)).catch(next)).catch(next),
    )
  }
  get('/.well-known/jwks.json', discovery.jwks)
  get('/.well-known/oauth-authorization-server', discovery.metadata)

  router.use(
    (
      err: Error & { status?: number; type?: string },
      req: Request,
      res: Response,
      next: NextFunction,
    ) => {
      if (!req.path.startsWith('/oauth/') && !req.path.startsWith('/.well-known/')) return next(err)
      if (err.type === 'entity.too.large')
        return sendOAuthError(res, 413, 'invalid_request', `the body is larger than ${FORM_LIMIT}`)
      if (err.status && err.status < 500)
        return sendOAuthError(res, 400, 'invalid_request', 'the body cannot be read')
      if (err.name === 'StoreUnavailableError') {
        res.setHeader('retry-after', '5')
        return sendOAuthError(
          res,
          503,
          'temporarily_unavailable',
          'the state store is unreachable; retry in a few seconds',
        )
      }
      // Anything else is ours: logged for the operator, never shown to the client.
      ctx.options.log(`error: ${req.method} ${req.path}: ${err.stack ?? err.message}`)
      sendOAuthError(
        res,
        500,
        'server_error',
        'internal error of the sandbox; the details are in its log',
      )
    },
  )
  return router
}
