import { bearerChallenge } from '../auth/auth-headers.js'
import type { SandboxContext } from '../context.js'
import { findMagic } from '../data/magic-identifiers.js'
import { paramsOf, sandboxNow, type Exchange, type Stage } from '../http/exchange.js'
import { secondsUntil } from '../traffic/rate-headers.js'
import { ANONYMOUS_CLIENT } from '../traffic/traffic-service.js'
import type { Arm } from './arming.js'
import { drawDelay, wait } from './delay.js'
import { AFTER_RESOLVE, answerError, applyEffect, type EffectCall } from './effects.js'
import { parsePrefer } from './prefer.js'
import { resourceKey } from './remembered.js'
import { matchesAll, pickRule, scenarioLength } from './rules.js'
import type { EffectSpec, RequestFacts, Rule, Scenario } from './types.js'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import { PACE_VALUES } from '../certification/plan.js'
import { markPlayed, noRunOnRecord, stepForCall } from '../certification/run-state.js'

/** Header naming the scenario that shaped an answer. */
export const SCENARIO_HEADER = 'sandbox-scenario'

interface Trigger {
  scenario: Scenario
  /** Counter key: calls are counted per client and trigger. */
  key: string
  arm?: Arm
}

/** Answers again what a scenario left behind: a refused token, a 502 until `retry_in`, a 409. */
async function recall(ctx: SandboxContext, call: EffectCall): Promise<boolean> {
  const { ex } = call
  const jti = ex.identity?.jti
  const fault = jti ? await ctx.scenarios.memory.recallToken(call.clientId, jti) : undefined
  const answer = fault
    ? undefined
    : await ctx.scenarios.memory.recall(call.clientId, call.resource, call.now)
  if (!fault && !answer) return false
  ex.scenario = (fault ?? answer)!.scenario
  ex.headers[SCENARIO_HEADER] = ex.scenario
  ex.notes.remembered = true
  if (fault) {
    ex.headers['www-authenticate'] = bearerChallenge({ error: 'invalid_token' })
    answerError(call, 401, { code: fault.code })
  } else {
    const meta = answer!.retryIn
      ? { meta: { retry_in: secondsUntil(answer!.until, call.now) } }
      : {}
    answerError(call, answer!.status, { ...(answer!.code ? { code: answer!.code } : {}), ...meta })
  }
  return true
}

/**
 * A certification run's step, when the client has a run under way: the step's incident on the first
 * calls of its window. In the single-use step, a reusable token is refused as spent (the client must
 * fetch a new token, single-use in that window), and a single-use token presented counts as played.
 * Returns true when the step shaped the answer.
 */
async function playCertification(ctx: SandboxContext, call: EffectCall): Promise<boolean> {
  const { ex } = call
  const at = await stepForCall(ex, ctx.store, call.clientId, call.now, ex.receivedAt)
  if (!at) return false
  const scenario = `certification:${at.step.id}`
  if (at.step.singleUseTokens && ex.identity?.mode === 'bearer') {
    if (ex.notes.tokenConsumed) {
      await markPlayed(ctx.store, call.clientId, at)
      return false
    }
    await fire(ctx, { ...call, scenario }, { type: 'token-expired' })
    return true
  }
  const effect = at.step.play(at.k, at.sinceFirstMs, PACE_VALUES[at.run.pace])
  if (!effect) return false
  await markPlayed(ctx.store, call.clientId, at)
  await fire(ctx, { ...call, scenario }, effect)
  return true
}

/** Prism's `Prefer: code=NNN`, as an effect (429 and 206 keep production's shape). */
function codeEffect(code: number): EffectSpec | undefined {
  if (code === 429) return { type: 'rate-limit' }
  if (code === 206) return { type: 'partial' }
  return code >= 400 ? { type: 'status', status: code } : undefined
}

async function fire(
  ctx: SandboxContext,
  call: EffectCall,
  effect: EffectSpec,
  rule?: Rule,
  k = 1,
): Promise<void> {
  const { ex } = call
  ex.scenario = call.scenario
  ex.headers[SCENARIO_HEADER] = call.scenario
  ex.notes.effect = effect.type
  if (effect.delay) {
    const ms = drawDelay(effect.delay, rule?.seed ?? 1, (rule?.index ?? 0) + 1000, k)
    ex.notes.delayMs = Math.round(ms * ctx.options.delayFactor)
    await wait(ms * ctx.options.delayFactor)
  }
  if (AFTER_RESOLVE.has(effect.type)) ex.pendingEffect = { effect, ...(rule ? { rule } : {}) }
  else await applyEffect(call, effect)
}

/**
 * Scenario: shapes the answer as a scripted production incident would. In order: what an earlier
 * scenario left behind (refused token, remembered 502 or 409); `Prefer: scenario=NAME` or Prism's
 * `Prefer: code=NNN`; a magic identifier mapped to a scenario; the scenarios armed for the client.
 * Calls are counted per client and trigger, so two clients never share a scenario's progress.
 */
export function applyScenario(ctx: SandboxContext): Stage {
  for (const entry of ctx.data.magic.entries) {
    if (entry.scenario !== undefined && !ctx.scenarios.catalogue.has(entry.scenario)) {
      const known = [...ctx.scenarios.catalogue.keys()].sort().join(', ')
      throw new SandboxConfigError(
        SANDBOX_ERRORS.BAD_MAPPING,
        `magic identifiers ${ctx.data.magic.file}: identifier ${entry.identifier} names scenario "${entry.scenario}", which no scenario file defines. Known: ${known}.`,
        { file: ctx.data.magic.file },
      )
    }
  }
  const magicScenarios = ctx.data.magic.entries.some((e) => e.scenario !== undefined)
  // The common case, told at once: nothing remembered, no certification run, no preference, no
  // scenario armed, no magic identifier naming one. Nothing can shape the call: no read, no promise.
  const idle = (ex: Exchange, clientId: string): boolean =>
    ex.req.headers.prefer === undefined &&
    ctx.scenarios.memory.empty() &&
    ctx.scenarios.arms.noneArmed() &&
    (clientId === ANONYMOUS_CLIENT || noRunOnRecord(ctx.store)) &&
    (!magicScenarios || findMagic(ctx.data.magic, paramsOf(ex))?.scenario === undefined)
  return (ex) => {
    const clientId = ex.identity?.clientId ?? ANONYMOUS_CLIENT
    return idle(ex, clientId) ? undefined : play(ex, clientId)
  }
  async function play(ex: Exchange, clientId: string): Promise<void> {
    const op = ex.operation!
    const params = paramsOf(ex)
    const call: EffectCall = {
      ctx,
      ex,
      memory: ctx.scenarios.memory,
      clientId,
      now: sandboxNow(ex),
      scenario: '',
      resource: resourceKey(op.id, params),
    }
    if (await recall(ctx, call)) return
    if (clientId !== ANONYMOUS_CLIENT && (await playCertification(ctx, call))) return

    const triggers: Trigger[] = []
    const prefer = parsePrefer(ex.req.headers.prefer)
    if (prefer.scenario !== undefined) {
      const scenario = ctx.scenarios.catalogue.get(prefer.scenario)
      if (!scenario) {
        const known = [...ctx.scenarios.catalogue.keys()].sort().join(', ')
        return answerError(call, 400, {
          detail: `Scénario inconnu « ${prefer.scenario} » dans l’en-tête Prefer ; scénarios connus : ${known}.`,
        })
      }
      triggers.push({ scenario, key: `prefer:${scenario.name}` })
    } else if (prefer.code !== undefined) {
      const code = Number(prefer.code)
      if (!Number.isInteger(code) || code < 200 || code > 599) {
        return answerError(call, 400, {
          detail: `Prefer: code=${prefer.code} n’est pas un statut HTTP (200 à 599).`,
        })
      }
      ex.headers['preference-applied'] = `code=${code}`
      const effect = codeEffect(code)
      if (effect) await fire(ctx, { ...call, scenario: `code=${code}` }, effect)
      return
    }
    const magic = findMagic(ctx.data.magic, params)
    const magicScenario = magic?.scenario ? ctx.scenarios.catalogue.get(magic.scenario) : undefined
    if (magicScenario)
      triggers.push({ scenario: magicScenario, key: `magic:${magicScenario.name}` })
    for (const arm of await ctx.scenarios.arms.list(clientId)) {
      const scenario = ctx.scenarios.catalogue.get(arm.scenario)
      if (!scenario || (arm.until !== undefined && call.now >= arm.until))
        await ctx.scenarios.arms.disarm(clientId, arm.scenario)
      else triggers.push({ scenario, key: `arm:${arm.id}`, arm })
    }
    if (!triggers.length) return

    const facts: RequestFacts = {
      operationId: op.id,
      ...(ex.rateGroup ? { group: ex.rateGroup } : {}),
      method: ex.method,
      identifiers: Object.values(params),
    }
    for (const t of triggers) {
      if (!matchesAll(t.scenario.match, facts)) continue
      const k = await ctx.scenarios.arms.count(clientId, t.key)
      const length = t.arm?.calls ?? scenarioLength(t.scenario)
      if (t.arm && length !== undefined && k > length) {
        await ctx.scenarios.arms.disarm(clientId, t.scenario.name)
        continue
      }
      // A per-request preference plays the scenario on this very call: its `when` (every 5th
      // call, after 3 calls...) paces a scenario armed for a client, not a preference.
      const prefer = t.key.startsWith('prefer:')
      const rule = pickRule(t.scenario, facts, k, call.now, prefer)
      if (!rule) continue
      // RFC 7240: say a preference was honoured only when it shaped the answer.
      if (prefer) ex.headers['preference-applied'] = `scenario=${t.scenario.name}`
      return fire(ctx, { ...call, scenario: t.scenario.name }, rule.effect, rule, k)
    }
  }
}
