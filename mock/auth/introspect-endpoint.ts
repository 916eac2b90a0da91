import type { Request, Response } from 'express'
import type { SandboxContext } from '../context.js'
import { authenticateForm } from './form-client.js'
import { noStore, sendOAuthError } from './oauth-reply.js'

/**
 * `POST /oauth/introspect` (RFC 7662): tells an authenticated client whether one of its tokens is
 * active, judged exactly as an API call would judge it (client's sandbox clock, revocation, single
 * use) but without consuming it. Another client's token is reported inactive (§4: no token
 * scanning), as is anything that is not a live sandbox token.
 */
export function introspectEndpoint(ctx: SandboxContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const authed = await authenticateForm(ctx, req, res, '/oauth/introspect')
    if (!authed) return
    const { client, params } = authed
    if (params.token === undefined)
      return sendOAuthError(res, 400, 'invalid_request', 'token is required')
    const check = await ctx.auth.check(params.token, ctx.options.now())
    noStore(res)
    if (!check.ok || check.claims.sub !== client.clientId) {
      res.status(200).json({ active: false })
      return
    }
    const { claims } = check
    res.status(200).json({
      active: true,
      scope: check.scopes.join(' '),
      scopes: check.scopes,
      client_id: claims.sub,
      sub: claims.sub,
      token_type: 'Bearer',
      iss: claims.iss,
      aud: claims.aud,
      iat: claims.iat,
      exp: claims.exp,
      ...(claims.nbf !== undefined ? { nbf: claims.nbf } : {}),
      jti: claims.jti,
      single_use: claims.single_use === true,
    })
  }
}
