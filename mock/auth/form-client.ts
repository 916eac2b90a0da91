import type { Request, Response } from 'express'
import type { SandboxContext } from '../context.js'
import { readClientCredentials } from './client-credentials.js'
import type { SandboxClient } from './client-registry.js'
import { readForm } from './form-body.js'
import { sendClientAuthError, sendOAuthError } from './oauth-reply.js'
import { clientIpOf } from '../http/client-ip.js'

/** Where a request comes from, for the lockout and the journal. */
export const sourceOf = (ctx: SandboxContext, req: Request): { ip: string; origin?: string } => {
  const origin = req.headers.origin
  return { ip: clientIpOf(req, ctx.options.trustProxy), ...(origin ? { origin } : {}) }
}

/**
 * The common start of every `/oauth/*` POST: reads the form body, authenticates the client (Basic or
 * body), and answers the RFC 6749 §5.2 error itself when either fails (then resolves `undefined`).
 */
export async function authenticateForm(
  ctx: SandboxContext,
  req: Request,
  res: Response,
  endpoint: string,
): Promise<{ client: SandboxClient; params: Record<string, string> } | undefined> {
  const form = readForm(req)
  if (!form.ok) return void sendOAuthError(res, 400, 'invalid_request', form.description)
  const read = readClientCredentials(req.headers, form.params)
  if (read.kind === 'none') {
    return void sendOAuthError(
      res,
      401,
      'invalid_client',
      'client authentication required: Basic, or client_id and client_secret in the body',
    )
  }
  if (read.kind === 'invalid')
    return void sendOAuthError(res, 400, 'invalid_request', read.description)
  const auth = await ctx.auth.checkClient(read.credentials, { ...sourceOf(ctx, req), endpoint })
  if (!auth.ok) return void sendClientAuthError(res, auth)
  return { client: auth.client, params: form.params }
}
