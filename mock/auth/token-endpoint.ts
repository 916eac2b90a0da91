import { singleUseWindow } from '../certification/run-state.js'
import type { Request, Response } from 'express'
import type { SandboxContext } from '../context.js'
import { SECRET_EXPIRES_HEADER } from './auth-headers.js'
import { authModesOf, type SandboxClient } from './client-registry.js'
import { authenticateForm, sourceOf } from './form-client.js'
import { noStore, sendOAuthError } from './oauth-reply.js'

/** Checks the optional `scope`: a subset of the client's privileges. Resolves the granted scopes. */
function grantScopes(
  client: SandboxClient,
  asked: string | undefined,
): { ok: true; scopes: string[] } | { ok: false; unknown: string[] } {
  if (asked === undefined || asked.trim() === '')
    return { ok: true, scopes: [...client.privileges] }
  const wanted = [...new Set(asked.trim().split(/\s+/))]
  const unknown = wanted.filter((s) => !client.privileges.includes(s))
  return unknown.length ? { ok: false, unknown } : { ok: true, scopes: wanted }
}

/**
 * `POST /oauth/token`: the client credentials grant (RFC 6749 §4.4). Form body, client authentication
 * by `client_secret_basic` or `client_secret_post`, optional `scope` (a subset of the client's
 * privileges) and `single_use=true`. Errors as RFC 6749 §5.2.
 */
export function tokenEndpoint(ctx: SandboxContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const authed = await authenticateForm(ctx, req, res, '/oauth/token')
    if (!authed) return
    const { client, params } = authed
    const source = sourceOf(ctx, req)

    const grant = params.grant_type
    if (grant === undefined)
      return sendOAuthError(
        res,
        400,
        'invalid_request',
        'grant_type is required; use grant_type=client_credentials',
      )
    if (grant !== 'client_credentials') {
      return sendOAuthError(
        res,
        400,
        'unsupported_grant_type',
        `grant_type ${grant.slice(0, 64)} is not supported; use client_credentials`,
      )
    }
    if (!authModesOf(client).includes('oauth')) {
      return sendOAuthError(
        res,
        400,
        'unauthorized_client',
        `this client's auth_mode (${authModesOf(client).join(', ')}) does not include oauth: use its portal token, or ask the admin to add oauth`,
      )
    }
    const single = params.single_use
    if (single !== undefined && single !== 'true' && single !== 'false') {
      return sendOAuthError(res, 400, 'invalid_request', 'single_use must be true or false')
    }
    const scopes = grantScopes(client, params.scope)
    if (!scopes.ok) {
      return sendOAuthError(
        res,
        400,
        'invalid_scope',
        `scope ${scopes.unknown.join(' ')} is not among this client's privileges (${client.privileges.join(' ') || 'none'})`,
      )
    }
    // In a certification run's single-use step, every token the client gets is single-use.
    const singleUse =
      client.singleUse ||
      single === 'true' ||
      (single !== 'false' &&
        (await singleUseWindow(ctx.store, client.clientId, await ctx.clock.now(client.clientId))))
    const { token, claims } = await ctx.auth.issue(client, {
      scopes: scopes.scopes,
      singleUse,
      ...source,
      answerBytes: answerBytes(res),
    })
    noStore(res)
    const notice = ctx.auth.secretNotice(client, claims.iat * 1000)
    if (notice) res.setHeader(SECRET_EXPIRES_HEADER, notice)
    res.status(200).json({
      access_token: token,
      token_type: 'Bearer',
      expires_in: claims.exp - claims.iat,
      scope: scopes.scopes.join(' '),
      ...(singleUse ? { single_use: true } : {}),
    })
  }
}

/**
 * The bytes (status line, headers, body) of the answer about to be written on `res`, once it has
 * left: the socket's count now and when the answer is finished or its connection closed.
 */
export function answerBytes(res: Response): Promise<number> {
  const socket = res.req.socket
  const before = socket.bytesWritten
  return new Promise((resolve) => {
    const done = (): void => resolve(Math.max(0, socket.bytesWritten - before))
    res.once('finish', done)
    res.once('close', done)
  })
}
