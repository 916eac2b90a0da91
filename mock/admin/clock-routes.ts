import type { Router } from 'express'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { resolveCaller } from './caller.js'
import { ClockRangeError, parseDuration, type ClockReading } from '../clock/clock.js'
import { sendProblem } from './problem.js'

/** A clock reading as the admin API shows it. */
export function clockView(reading: ClockReading, realNow: number): Record<string, unknown> {
  return {
    client_id: reading.clientId,
    offset_seconds: Math.round(reading.offset / 1000),
    now: new Date(reading.now).toISOString(),
    real_now: new Date(realNow).toISOString(),
    shifted: reading.offset > 0,
  }
}

/**
 * The per-client sandbox clock, under `/__sandbox/clock`: the admin names the client with
 * `client_id`; a client moves its own clock with its own credentials and no `client_id`.
 * - `POST /clock` `{"advance": "12h"}` (or seconds) moves it forward; `{"reset": true}` brings it back
 *   to real time;
 * - `GET /clock` shows it.
 */
export function registerClockRoutes(router: Router, ctx: SandboxContext): void {
  router.get('/clock', async (req, res) => {
    const caller = await resolveCaller(ctx, req, res, { client: true })
    if (!caller) return
    res.json(clockView(await ctx.clock.read(caller.clientId!), ctx.options.now()))
  })

  router.post('/clock', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const { advance, reset } = body
    if ((advance === undefined) === (reset !== true)) {
      return sendProblem(
        res,
        400,
        SANDBOX_ERRORS.INVALID_REQUEST,
        'Give either "advance" (seconds, or a duration such as "90s", "15m", "12h", "1h30m") or "reset": true.',
      )
    }
    const ms = advance === undefined ? 0 : parseDuration(advance)
    if (ms === undefined) {
      return sendProblem(
        res,
        400,
        SANDBOX_ERRORS.INVALID_REQUEST,
        `"advance" must be seconds >= 0 or a duration such as "90s", "15m", "12h", "2d", "1h30m"; got ${JSON.stringify(advance)}. The clock never moves backward: use "reset": true.`,
      )
    }
    const caller = await resolveCaller(ctx, req, res, { client: true })
    if (!caller) return
    let reading: ClockReading
    try {
      reading =
        reset === true
          ? await ctx.clock.reset(caller.clientId!)
          : await ctx.clock.advance(caller.clientId!, ms)
    } catch (err) {
      if (!(err instanceof ClockRangeError)) throw err
      return sendProblem(res, 400, SANDBOX_ERRORS.INVALID_REQUEST, err.message)
    }
    ctx.options.log(
      `clock: ${caller.actor} ${reset === true ? 'reset' : `advanced by ${ms / 1000} s`} the clock of client ${reading.clientId}`,
    )
    res.json(clockView(reading, ctx.options.now()))
  })
}
