import type { Request, Response } from 'express'
import { hasAdminToken } from '../admin/admin-auth.js'
import { sendProblem } from '../admin/problem.js'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { ANONYMOUS_CLIENT } from './traffic-service.js'

/** Who calls a traffic admin route, and for which client. */
export interface Caller {
  actor: 'admin' | 'client'
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
  const asPresented =
    body.client_secret !== undefined ? req : Object.create(req, { body: { value: undefined } })
  const result = await ctx.auth.authenticateClient(asPresented as Request, 'admin')
  if (!result.ok) {
    if (result.retryAfter !== undefined) res.setHeader('retry-after', String(result.retryAfter))
    else res.setHeader('www-authenticate', 'Basic realm="sandbox-twin", charset="UTF-8"')
    const status = result.retryAfter !== undefined ? 429 : 401
    sendProblem(
      res,
      status,
      SANDBOX_ERRORS.ADMIN_UNAUTHORIZED,
      `This endpoint needs the admin token, or the client's own credentials (Basic client_id:client_secret): ${result.description}.`,
    )
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
