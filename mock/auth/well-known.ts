import { jwksWithAttestationKey } from '../certification/attestation.js'
import type { NextFunction, Request, Response } from 'express'
import type { SandboxContext } from '../context.js'
import { clientIpOf } from '../http/client-ip.js'

/** Authorization server metadata (RFC 8414) for the base URL the sandbox advertises now. */
export function serverMetadata(ctx: SandboxContext): Record<string, unknown> {
  const base = ctx.publicBase.url
  const methods = ['client_secret_basic', 'client_secret_post']
  return {
    issuer: base,
    token_endpoint: `${base}/oauth/token`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    revocation_endpoint: `${base}/oauth/revoke`,
    introspection_endpoint: `${base}/oauth/introspect`,
    grant_types_supported: ['client_credentials'],
    // No authorization endpoint: the client credentials grant needs none.
    response_types_supported: [],
    token_endpoint_auth_methods_supported: methods,
    revocation_endpoint_auth_methods_supported: methods,
    introspection_endpoint_auth_methods_supported: methods,
    scopes_supported: [...ctx.auth.privileges],
  }
}

/**
 * Per-IP limit on the public discovery documents: a flood of JWKS requests gets 429 with
 * `Retry-After` after `tokens.jwksPerMinute` calls in a window anchored on the first call. The
 * documents themselves are served from memory, so the limit protects the store's counters and the
 * event loop, not a costly computation.
 */
export function limitDiscovery(ctx: SandboxContext) {
  const limit = ctx.options.tokens.jwksPerMinute
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (limit === 0) return next()
    const ip = clientIpOf(req, ctx.options.trustProxy)
    const now = ctx.options.now()
    const hit = await ctx.store.global.hit('discovery-rate', ip, 60_000, now)
    if (hit.count <= limit) return next()
    const wait = Math.max(1, Math.ceil((hit.resetAt - now) / 1000))
    res.setHeader('retry-after', String(wait))
    res.status(429).json({
      error: 'too_many_requests',
      error_description: `more than ${limit} discovery requests a minute from this address; retry in ${wait} s, and cache the JWKS (Cache-Control)`,
    })
  }
}

/** `GET /.well-known/jwks.json` and `GET /.well-known/oauth-authorization-server`. */
export function discoveryHandlers(ctx: SandboxContext) {
  // Serialised once per base URL: it moves only when the sandbox starts listening.
  let metadata = { base: '', body: '' }
  const current = (): string => {
    if (metadata.base !== ctx.publicBase.url)
      metadata = { base: ctx.publicBase.url, body: JSON.stringify(serverMetadata(ctx)) }
    return metadata.body
  }
  const send = (res: Response, body: string): void => {
    res.setHeader('cache-control', 'public, max-age=300')
    res.type('application/json').send(body)
  }
  return {
    jwks: async (_req: Request, res: Response): Promise<void> =>
      // The token keys, and the key that signs certification attestations.
      send(
        res,
        await jwksWithAttestationKey(ctx.store, ctx.auth.keys.sealer, await ctx.auth.keys.jwks()),
      ),
    metadata: (_req: Request, res: Response): void => send(res, current()),
  }
}
