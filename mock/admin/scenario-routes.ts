import type { Request, Response, Router } from 'express'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { UnknownScenarioError } from '../scenarios/scenario-service.js'
import { resolveCaller } from './caller.js'
import { parseDuration } from '../clock/clock.js'
import { sendProblem } from './problem.js'
import type { Arm } from '../scenarios/arming.js'

/** A scenario armed for a client, as the admin surface shows it (times in ISO 8601). */
const armView = (clientId: string, a: Arm): Record<string, unknown> => ({
  client_id: clientId,
  scenario: a.scenario,
  id: a.id,
  armed_at: new Date(a.armedAt).toISOString(),
  calls: a.calls ?? null,
  until: a.until !== undefined ? new Date(a.until).toISOString() : null,
})

function unknown(res: Response, e: UnknownScenarioError): void {
  sendProblem(
    res,
    400,
    SANDBOX_ERRORS.INVALID_REQUEST,
    `Unknown scenario "${e.scenario}". Known scenarios: ${e.known.join(', ')}.${
      e.scenario === 'certification'
        ? ' A certification is a run, not a scenario: POST /__sandbox/certification starts one.'
        : ''
    }`,
    { known: e.known },
  )
}

/** `until`: an ISO date-time on the client's clock, or a duration from its sandbox now. */
async function parseUntil(
  ctx: SandboxContext,
  clientId: string,
  value: unknown,
): Promise<number | undefined> {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const at = Date.parse(value)
    return Number.isNaN(at) ? undefined : at
  }
  const ms = parseDuration(value)
  return ms === undefined ? undefined : (await ctx.clock.now(clientId)) + ms
}

const hasCredentials = (req: Request): boolean =>
  !!(req.headers.authorization || req.get('x-sandbox-admin-token'))

/**
 * Scenarios, under `/__sandbox/scenarios`:
 * - `GET /scenarios`: the catalogue (open to anyone); with credentials, also what is armed for the
 *   client (the admin names it with `client_id`);
 * - `POST /scenarios` `{"scenario": "burst-429", "calls": 20, "until": "10m"}` arms one for a client,
 *   from its next call (`calls` and `until` optional);
 * - `DELETE /scenarios[/:name]` disarms one, or all.
 * The admin names the client with `client_id`; a client acts on itself with its own credentials.
 */
export function registerScenarioRoutes(router: Router, ctx: SandboxContext): void {
  router.get('/scenarios', async (req, res) => {
    const scenarios = ctx.scenarios.describe()
    if (!hasCredentials(req)) return void res.json({ scenarios })
    const caller = await resolveCaller(ctx, req, res, { client: false })
    if (!caller) return
    const armed = caller.clientId
      ? (await ctx.scenarios.armed(caller.clientId)).map((a) => armView(caller.clientId!, a))
      : undefined
    res.json({ scenarios, ...(armed ? { armed } : {}) })
  })

  router.post('/scenarios', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    if (typeof body.scenario !== 'string') {
      return sendProblem(
        res,
        400,
        SANDBOX_ERRORS.INVALID_REQUEST,
        `Name the scenario to arm: {"scenario": "<name>"}. Known: ${[...ctx.scenarios.catalogue.keys()].sort().join(', ')}.`,
      )
    }
    const calls = body.calls
    if (calls !== undefined && (!Number.isInteger(calls) || (calls as number) < 1)) {
      return sendProblem(
        res,
        400,
        SANDBOX_ERRORS.INVALID_REQUEST,
        '"calls" must be a whole number >= 1: how many matching calls the scenario lasts.',
      )
    }
    const caller = await resolveCaller(ctx, req, res, { client: true })
    if (!caller) return
    const clientId = caller.clientId!
    const until = body.until === undefined ? undefined : await parseUntil(ctx, clientId, body.until)
    if (body.until !== undefined && until === undefined) {
      return sendProblem(
        res,
        400,
        SANDBOX_ERRORS.INVALID_REQUEST,
        '"until" must be an ISO 8601 date-time on the client\'s sandbox clock, or a duration from now ("10m", "2h", seconds).',
      )
    }
    try {
      const arm = await ctx.scenarios.arm(clientId, body.scenario, {
        ...(calls !== undefined ? { calls: calls as number } : {}),
        ...(until !== undefined ? { until } : {}),
      })
      ctx.options.log(`scenarios: ${caller.actor} armed ${arm.scenario} for client ${clientId}`)
      res.status(201).json(armView(clientId, arm))
    } catch (e) {
      if (e instanceof UnknownScenarioError) return unknown(res, e)
      throw e
    }
  })

  const disarm = async (req: Request, res: Response, name: string | undefined): Promise<void> => {
    const caller = await resolveCaller(ctx, req, res, { client: true })
    if (!caller) return
    try {
      res.json({
        client_id: caller.clientId,
        disarmed: await ctx.scenarios.disarm(caller.clientId!, name),
      })
    } catch (e) {
      if (e instanceof UnknownScenarioError) return unknown(res, e)
      throw e
    }
  }
  router.delete('/scenarios', (req, res) => {
    const name = ((req.body ?? {}) as Record<string, unknown>).scenario ?? req.query.scenario
    return disarm(req, res, typeof name === 'string' ? name : undefined)
  })
  router.delete('/scenarios/:name', (req, res) => disarm(req, res, String(req.params.name)))
}
