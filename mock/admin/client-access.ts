import type { NextFunction, Request, Response } from 'express'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { hasAdminToken } from './admin-auth.js'
import { sendProblem } from './problem.js'

/** Who is acting on an admin route that a client may also call: set on `res.locals.actor`. */
export type Actor = 'admin' | 'client'

/**
 * Lets through the admin token, or a client authenticating with its own credentials (Basic, or
 * `client_id` / `client_secret` in the JSON body) when the route's `:id` names that very client.
 * Failures count towards the client's lockout like any other client authentication.
 */
export function requireAdminOrSelf(ctx: SandboxContext) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (hasAdminToken(req, ctx.options.adminToken)) {
      res.locals.actor = 'admin' satisfies Actor
      return next()
    }
    const result = await ctx.auth.authenticateClient(req, 'admin')
    if (result.ok) {
      if (result.client.clientId === req.params.id) {
        res.locals.actor = 'client' satisfies Actor
        return next()
      }
      return sendProblem(
        res,
        403,
        SANDBOX_ERRORS.ADMIN_UNAUTHORIZED,
        'A client may act on itself only: the client id in the path must be yours.',
      )
    }
    if (result.retryAfter !== undefined) {
      res.setHeader('retry-after', String(result.retryAfter))
      return sendProblem(
        res,
        429,
        SANDBOX_ERRORS.ADMIN_UNAUTHORIZED,
        `Too many failed authentications of this client from this address; retry in ${result.retryAfter} s.`,
      )
    }
    res.setHeader('www-authenticate', 'Basic realm="sandbox-twin", charset="UTF-8"')
    sendProblem(
      res,
      401,
      SANDBOX_ERRORS.ADMIN_UNAUTHORIZED,
      `This endpoint needs the admin token, or the client's own credentials (Basic client_id:client_secret): ${result.description}.`,
    )
  }
}
