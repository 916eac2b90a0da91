import type { SandboxContext } from '../context.js'
import type { Operation } from '../contract/types.js'
import type { Exchange, Stage } from '../http/exchange.js'
import {
  BASIC_WARNING,
  bearerChallenge,
  REASON_TEXT,
  SECRET_EXPIRES_HEADER,
  WARNING_HEADER,
} from './auth-headers.js'
import { readClientCredentials } from './client-credentials.js'
import { authModesOf, type SandboxClient } from './client-registry.js'
import { internScopes } from './scope-list.js'
import type { TokenCheck } from './check-token.js'
import { API_ERRORS } from '../api-errors.js'

/** Answers with the contract's own error (its example for that code), notes why for the journal. */
function refuse(
  ctx: SandboxContext,
  ex: Exchange,
  status: 401 | 403 | 429,
  code: string,
  reason: string,
): void {
  ex.notes.authError = code
  ex.notes.authReason = reason
  ex.reply = ctx.errors(ex.operation, status, { code })
  if (status === 401) {
    // RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
    ex.headers['www-authenticate'] =
      reason === 'missing'
        ? bearerChallenge()
        : bearerChallenge({
            error: 'invalid_token',
            error_description: REASON_TEXT[reason] ?? reason,
          })
  }
}

/** 403 when the operation needs privileges and the credential holds none of them. */
function lacksPrivilege(
  ctx: SandboxContext,
  ex: Exchange,
  op: Operation,
  scopes: readonly string[],
): boolean {
  const needed = ctx.auth.requiredPrivileges(op)
  // The journal and the verdict's least-privilege check read the privileges enforcement used.
  if (needed.length > 0) ex.notes.privileges = needed
  if (needed.length === 0 || needed.some((p) => scopes.includes(p))) return false
  refuse(ctx, ex, 403, API_ERRORS.INSUFFICIENT_PRIVILEGES, 'insufficient-privileges')
  ex.notes.authNeeded = [...needed]
  ex.headers['www-authenticate'] = bearerChallenge({
    error: 'insufficient_scope',
    scope: needed.join(' '),
  })
  return true
}

function notice(ctx: SandboxContext, ex: Exchange, client: SandboxClient): void {
  const date = ctx.auth.secretNotice(client, ex.receivedAt + ex.clockOffset)
  if (date) ex.headers[SECRET_EXPIRES_HEADER] = date
}

/** A Bearer token: checked at once where it can be (a cached token, a local store), else awaited. */
function bearer(
  ctx: SandboxContext,
  ex: Exchange,
  op: Operation,
  token: string,
): void | Promise<void> {
  const check = ctx.auth.check(token, ex.receivedAt)
  return check instanceof Promise
    ? check.then((c) => admit(ctx, ex, op, c))
    : admit(ctx, ex, op, check)
}

function admit(
  ctx: SandboxContext,
  ex: Exchange,
  op: Operation,
  check: TokenCheck,
): void | Promise<void> {
  if (check.offset !== undefined) ex.clockOffset = check.offset
  if (!check.ok) {
    if (check.clientId) ex.notes.authClientId = check.clientId
    return refuse(ctx, ex, 401, check.code, check.reason)
  }
  const { claims, client } = check
  ex.notes.authClientId = client.clientId
  // A model withdrawn from the client (auth_mode) takes its tokens with it.
  if (!authModesOf(client).includes(claims.portal ? 'portal_token' : 'oauth'))
    return refuse(ctx, ex, 401, API_ERRORS.TOKEN_INVALID, 'auth-mode-not-allowed')
  if (lacksPrivilege(ctx, ex, op, check.scopes)) return
  if (claims.single_use) return consume(ctx, ex, check)
  identify(ctx, ex, check)
}

/** A single-use token, consumed only by a call that would be served: one atomic setIfAbsent decides between racers. */
async function consume(
  ctx: SandboxContext,
  ex: Exchange,
  check: TokenCheck & { ok: true },
): Promise<void> {
  const { claims, client } = check
  const used = await ctx.auth.tokens.consume(client.clientId, claims.jti, claims.exp * 1000)
  if (used !== true)
    return refuse(
      ctx,
      ex,
      401,
      used === 'revoked' ? API_ERRORS.TOKEN_REVOKED : API_ERRORS.TOKEN_EXPIRED,
      used,
    )
  ex.notes.tokenConsumed = true
  identify(ctx, ex, check)
}

function identify(ctx: SandboxContext, ex: Exchange, check: TokenCheck & { ok: true }): void {
  const { claims, client } = check
  ex.identity = {
    clientId: client.clientId,
    jti: claims.jti,
    scopes: check.scopes,
    mode: 'bearer',
    expiresAt: claims.exp * 1000,
  }
  notice(ctx, ex, client)
}

async function basic(ctx: SandboxContext, ex: Exchange, op: Operation): Promise<void> {
  const read = readClientCredentials(ex.req.headers, undefined)
  if (read.kind !== 'ok') return refuse(ctx, ex, 401, API_ERRORS.TOKEN_INVALID, 'malformed')
  const origin = ex.req.headers.origin
  const result = await ctx.auth.checkClient(read.credentials, {
    ip: ex.ip,
    endpoint: 'api',
    ...(origin ? { origin } : {}),
  })
  ex.notes.authClientId = read.credentials.clientId
  if (!result.ok) {
    if (result.status !== 429)
      return refuse(ctx, ex, 401, API_ERRORS.TOKEN_INVALID, 'bad-credentials')
    refuse(ctx, ex, 429, API_ERRORS.TOO_MANY_REQUESTS, 'locked')
    ex.headers['retry-after'] = String(result.retryAfter ?? 1)
    return
  }
  const { client } = result
  ex.clockOffset = await ctx.clock.offset(client.clientId)
  if (!authModesOf(client).includes('basic'))
    return refuse(ctx, ex, 401, API_ERRORS.TOKEN_INVALID, 'basic-not-allowed')
  if (lacksPrivilege(ctx, ex, op, client.privileges)) return
  ex.identity = {
    clientId: client.clientId,
    scopes: internScopes(client.privileges),
    mode: 'basic',
  }
  ex.headers[WARNING_HEADER] = BASIC_WARNING
  notice(ctx, ex, client)
}

/**
 * Authenticate: on every operation the contract secures, a Bearer access token (or Basic client
 * credentials, for clients allowed to use them) is checked and the operation's privilege enforced:
 * 401 00101 / 00103 / 00105, 403 00100. Sets `ex.identity` and the client's clock offset. A request
 * carrying `Origin` is served but flagged: a token used from a browser is a leaked token.
 * With `options.auth === false` nothing is checked and no identity is set (plain-mock mode).
 */
export function authenticate(ctx: SandboxContext): Stage {
  if (!ctx.options.auth) return () => undefined
  return (ex) => {
    const origin = ex.req.headers.origin
    if (origin !== undefined) ex.notes.origin = origin
    const op = ex.operation!
    if (!op.secured) return
    const header = ex.req.headers.authorization
    if (!header) return refuse(ctx, ex, 401, API_ERRORS.TOKEN_INVALID, 'missing')
    if (/^bearer /i.test(header)) return bearer(ctx, ex, op, header.slice(7).trim())
    if (/^basic /i.test(header)) return basic(ctx, ex, op)
    return refuse(ctx, ex, 401, API_ERRORS.TOKEN_INVALID, 'unsupported-scheme')
  }
}
