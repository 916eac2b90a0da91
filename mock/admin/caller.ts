import type { NextFunction, Request, Response } from 'express'
import type { ClientAuthResult } from '../auth/authenticate-client.js'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { ANONYMOUS_CLIENT } from '../traffic/traffic-service.js'
import { hasAdminToken } from './admin-auth.js'
import { sendProblem } from './problem.js'

/** Who is acting on an admin route that a client may also call: set on `res.locals.actor`. */
export type Actor = 'admin' | 'client'

/** Who calls an admin route open to clients, and for which client. */
export interface Caller {
  actor: Actor
  /** The client acted on; `undefined` when the admin named none. */
  clientId?: string
}

/** `client_id` (or `clientId`) from the JSON body, else from the query string. */
export function namedClient(req: Request): string | undefined {
  const body = (req.body ?? {}) as Record<string, unknown>
  const given = body.client_id ?? body.clientId ?? req.query.client_id ?? req.query.clientId
  return typeof given === 'string' && given ? given : undefined
}

/**
 * Answers a failed client authentication on the admin surface: 429 with `Retry-After` while the
 * client is locked out from this address, else 401 with a Basic challenge.
 */
function refuseClient(res: Response, result: Extract<ClientAuthResult, { ok: false }>): void {
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
    if (!result.ok) return refuseClient(res, result)
    if (result.client.clientId !== req.params.id) {
      return sendProblem(
        res,
        403,
        SANDBOX_ERRORS.ADMIN_UNAUTHORIZED,
        'A client may act on itself only: the client id in the path must be yours.',
      )
    }
    res.locals.actor = 'client' satisfies Actor
    next()
  }
}

/**
 * Resolves the caller of a route open to the admin (any client, named by `client_id`) and to a
 * client with its own credentials (itself only; `client_id` may be omitted). Answers the problem
 * itself and resolves `undefined` when the caller may not proceed.
 */
export async function resolveCaller(
  ctx: SandboxContext,
  req: Request,
  res: Response,
  need: { client: boolean },
): Promise<Caller | undefined> {
  const named = namedClient(req)
  if (hasAdminToken(req, ctx.options.adminToken)) {
    if (named === undefined) {
      if (!need.client) return { actor: 'admin' }
      sendProblem(
        res,
        400,
        SANDBOX_ERRORS.INVALID_REQUEST,
        'Name the client: "client_id" in the JSON body or the query string.',
      )
      return undefined
    }
    if (named !== ANONYMOUS_CLIENT && !(await ctx.auth.getClient(named))) {
      sendProblem(
        res,
        404,
        SANDBOX_ERRORS.NOT_FOUND,
        `No client ${named}. GET /__sandbox/clients lists them.`,
      )
      return undefined
    }
    return { actor: 'admin', clientId: named }
  }
  // Without client_secret in the body, client_id there names the target, not a credential: the
  // client authenticates by Basic, and naming another client is a 403 below, not a bad credential.
  const body = (req.body ?? {}) as Record<string, unknown>
  const presented = body.client_secret !== undefined ? body : null
  const result = await ctx.auth.authenticateClient(req, 'admin', presented)
  if (!result.ok) {
    refuseClient(res, result)
    return undefined
  }
  if (named !== undefined && named !== result.client.clientId) {
    sendProblem(
      res,
      403,
      SANDBOX_ERRORS.ADMIN_UNAUTHORIZED,
      'A client may act on itself only: omit client_id, or give your own.',
    )
    return undefined
  }
  return { actor: 'client', clientId: result.client.clientId }
}
