import { bearerChallenge } from '../auth/auth-headers.js'
import type { SandboxContext } from '../context.js'
import type { ApiErrorSpec } from '../contract/error-body.js'
import type { Exchange } from '../http/exchange.js'
import { secondsUntil, setRateHeaders, tooManyRequests } from '../traffic/rate-headers.js'
import { wait } from './delay.js'
import { resetConnection } from './network-faults.js'
import type { ScenarioMemory, TokenFault } from './remembered.js'
import type { EffectSpec } from './types.js'
import { API_ERRORS } from '../api-errors.js'

/** Everything an effect needs to know about the call it shapes. */
export interface EffectCall {
  ctx: SandboxContext
  ex: Exchange
  memory: ScenarioMemory
  clientId: string
  /** Sandbox time of the call, ms. */
  now: number
  scenario: string
  /** Operation + identifying parameters: what 502 and 409 are remembered for. */
  resource: string
}

/** Effects that need the resolved body; the `finishScenario` response stage applies them. */
export const AFTER_RESOLVE = new Set(['partial', 'dribble', 'truncate'])

const DEFAULT_RETRY_IN = 10_000 // ms: production's network_error example says retry_in 10
const DEFAULT_PROVIDER_WAIT = 10_000 // ms: production waits at most 10 s for its providers
const DEFAULT_MAINTENANCE = 60_000 // ms
const DEFAULT_CONFLICT = 10_000 // ms

/** Sets an error answer built from the contract's own example for that status. */
export function answerError(call: EffectCall, status: number, spec: ApiErrorSpec = {}): void {
  call.ex.reply = call.ctx.errors(call.ex.operation, status, spec)
}

/** RFC 6750: a rejected token is answered with `WWW-Authenticate: Bearer error="invalid_token"`. */
function tokenFault(call: EffectCall, code: TokenFault['code']): Promise<void> {
  const why =
    code === API_ERRORS.TOKEN_EXPIRED
      ? 'The access token expired'
      : 'The access token is blacklisted'
  call.ex.headers['www-authenticate'] = bearerChallenge({
    error: 'invalid_token',
    error_description: why,
  })
  answerError(call, 401, { code })
  const { identity } = call.ex
  if (!identity?.jti) return Promise.resolve()
  // The token stays refused for the rest of its life: only a new token gets through.
  const ttl = identity.expiresAt !== undefined ? identity.expiresAt - call.now : 86_400_000
  return call.memory.rememberToken(
    call.clientId,
    identity.jti,
    { code, scenario: call.scenario },
    ttl,
  )
}

/**
 * Applies an effect that decides the answer without the resolved body (all but partial, dribble
 * and truncate): sets `ex.reply`, or takes the socket over (`ex.detached`), or, for latency, only
 * waits. Real waits are scaled by the `delayFactor` option.
 */
export async function applyEffect(call: EffectCall, effect: EffectSpec): Promise<void> {
  const { ctx, ex, now } = call
  const factor = ctx.options.delayFactor
  switch (effect.type) {
    case 'rate-limit': {
      // The period's end as the client was told it (`RateLimit-Reset`, whole seconds).
      const reset = ex.rate ? Math.ceil(ex.rate.resetAt / 1000) * 1000 : NaN
      const until = now + (effect.retryAfterMs ?? (reset > now ? reset - now : 60_000))
      if (ex.rateGroup)
        await ctx.traffic.throttle(call.clientId, ex.rateGroup, now, until, call.scenario)
      setRateHeaders(ex, ex.rate?.limit ?? 0, 0, until)
      ex.reply = tooManyRequests(ctx, ex, until, now)
      return
    }
    case 'provider-error': {
      const until = now + (effect.retryInMs ?? DEFAULT_RETRY_IN)
      answerError(call, 502, {
        ...(effect.code ? { code: effect.code } : {}),
        meta: { retry_in: secondsUntil(until, now) },
      })
      const code = ex.reply!.code
      return call.memory.remember(
        call.clientId,
        call.resource,
        { status: 502, ...(code ? { code } : {}), until, scenario: call.scenario, retryIn: true },
        now,
      )
    }
    case 'conflict': {
      answerError(call, 409)
      const until = now + (effect.forMs ?? DEFAULT_CONFLICT)
      const code = ex.reply!.code
      return call.memory.remember(
        call.clientId,
        call.resource,
        { status: 409, ...(code ? { code } : {}), until, scenario: call.scenario, retryIn: false },
        now,
      )
    }
    case 'maintenance':
      ex.headers['retry-after'] = String(
        secondsUntil(now + (effect.retryAfterMs ?? DEFAULT_MAINTENANCE), now),
      )
      return answerError(call, 503, effect.code ? { code: effect.code } : {})
    case 'provider-timeout':
      await wait((effect.waitMs ?? DEFAULT_PROVIDER_WAIT) * factor)
      return answerError(call, 504, effect.code ? { code: effect.code } : {})
    case 'non-diffusible':
      return answerError(call, 451, effect.code ? { code: effect.code } : {})
    case 'token-expired':
      return tokenFault(call, API_ERRORS.TOKEN_EXPIRED)
    case 'token-blacklisted':
      return tokenFault(call, API_ERRORS.TOKEN_REVOKED)
    case 'status':
      if (effect.status === 401)
        ex.headers['www-authenticate'] = bearerChallenge({ error: 'invalid_token' })
      return answerError(call, effect.status!, effect.code ? { code: effect.code } : {})
    case 'ban':
      return ctx.traffic.banAndHold(
        ex,
        call.clientId,
        'scenario',
        `scenario ${call.scenario}`,
        now,
        effect.forMs,
      )
    case 'reset':
      return resetConnection(ex)
    case 'hang':
      ex.notes.fault = 'hang'
      ctx.traffic.holder.hold(ex, `scenario ${call.scenario}: hang`, effect.forMs)
      return
    case 'latency':
    case 'partial':
    case 'dribble':
    case 'truncate':
      return
  }
}
