import type { Request, Response } from 'express'
import type { SandboxContext } from '../context.js'
import { authenticateForm, sourceOf } from './form-client.js'
import { noStore, sendOAuthError } from './oauth-reply.js'

/**
 * `POST /oauth/revoke` (RFC 7009): a client revokes one of its own access tokens; later calls with it
 * get 401 00105 at once, on every replica. An invalid or unknown token is answered 200 as the RFC
 * asks (§2.2): the client's goal, a token that no longer works, is reached. `token_type_hint` is
 * accepted and ignored: the sandbox issues access tokens only.
 */
export function revokeEndpoint(ctx: SandboxContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const authed = await authenticateForm(ctx, req, res, '/oauth/revoke')
    if (!authed) return
    const { client, params } = authed
    if (params.token === undefined)
      return sendOAuthError(res, 400, 'invalid_request', 'token is required')
    const v = await ctx.auth.verify(params.token)
    if (v.ok) {
      const { claims } = v
      if (claims.sub !== client.clientId) {
        return sendOAuthError(
          res,
          400,
          'invalid_request',
          'this token was issued to another client; only its own client may revoke it',
        )
      }
      await ctx.auth.tokens.revoke(claims.sub, claims.jti, claims.exp * 1000)
      const { ip } = sourceOf(ctx, req)
      ctx.auth.events.emit({
        type: 'revocation',
        clientId: client.clientId,
        ip,
        what: 'token',
        jti: claims.jti,
        at: ctx.options.now(),
      })
    }
    noStore(res)
    res.status(200).end()
  }
}
