import { advanceRunFor, incidentAhead, noRunOnRecord } from '../certification/run-state.js'
import type { SandboxContext } from '../context.js'
import { sandboxNow, type Exchange, type Stage } from '../http/exchange.js'
import type { LocalStoreScope } from '../store/store.js'
import { groupOf, type RateTable } from './rate-table.js'
import { setRateHeaders, tooManyRequests } from './rate-headers.js'
import { ANONYMOUS_CLIENT } from './traffic-service.js'
import { SCENARIO_HEADER } from '../scenarios/apply-scenario-stage.js'

/**
 * Rate limit, as API Entreprise applies it, on the client's sandbox clock:
 * - per IP (all the client's groups together): past `per_ip` in a period, the client is banned from
 *   that IP at once;
 * - per client and group: fixed periods anchored on their first call; every answer carries the
 *   `RateLimit-*` headers; past the limit, 429 with `Retry-After`; past `ban.threshold` calls that
 *   ignore the 429, a ban.
 * A 429 period started by a scenario (`throttle`) counts the same way. Every counter lives in the
 * client's own scope of the store: two clients never share a window, even behind one IP.
 */
export function limitRate(ctx: SandboxContext): Stage {
  const threshold = ctx.options.ban.threshold
  /** Counts the call under `table`; `quiet`: no 429 period is on record for anyone. */
  const count = async (
    ex: Exchange,
    clientId: string,
    table: RateTable,
    now: number,
    quiet: boolean,
  ): Promise<void> => {
    const scope = ctx.store.scope(clientId)
    if (table.perIp !== undefined) {
      const ip = await scope.hit('rate-ip', ex.ip, table.windowMs, now)
      if (ip.count > table.perIp) return overIp(ex, clientId, table, ip.count, now)
    }
    const group = groupOf(table, ex.operation!)
    if (!group) return
    ex.rateGroup = group.name
    const hit = await scope.hit('rate', group.name, table.windowMs, now)
    const throttled = quiet
      ? undefined
      : await ctx.traffic.throttledUntil(clientId, group.name, now)
    const resetAt = throttled ?? hit.resetAt
    setRateHeaders(ex, group.limit, throttled !== undefined ? 0 : group.limit - hit.count, resetAt)
    let over = hit.count - group.limit
    // A scenario's 429 period: its first 429 was the scenario's own answer; every answer within
    // it was shaped by that scenario and says so.
    if (throttled !== undefined) {
      const scenario = await ctx.traffic.throttledBy(clientId, group.name)
      if (scenario) {
        ex.scenario = scenario
        ex.headers[SCENARIO_HEADER] = scenario
      }
      over =
        1 +
        (await scope.incr('rate-over', `${group.name}@${throttled}`, Math.max(1, throttled - now)))
    }
    return refuse(ex, clientId, group.name, over, resetAt, now)
  }
  /**
   * {@link count} of a quiet call where the store is local (the embedded store): the windows are
   * hit at once, and no promise is made unless the call earns a ban.
   */
  const countAtOnce = (
    ex: Exchange,
    clientId: string,
    table: RateTable,
    now: number,
    local: LocalStoreScope,
  ): void | Promise<void> => {
    if (table.perIp !== undefined) {
      const ip = local.hit('rate-ip', ex.ip, table.windowMs, now)
      if (ip.count > table.perIp) return overIp(ex, clientId, table, ip.count, now)
    }
    const group = groupOf(table, ex.operation!)
    if (!group) return
    ex.rateGroup = group.name
    const hit = local.hit('rate', group.name, table.windowMs, now)
    setRateHeaders(ex, group.limit, group.limit - hit.count, hit.resetAt)
    return refuse(ex, clientId, group.name, hit.count - group.limit, hit.resetAt, now)
  }
  /** Past the per-IP limit: a ban from that IP at once. */
  const overIp = (
    ex: Exchange,
    clientId: string,
    table: RateTable,
    calls: number,
    now: number,
  ): Promise<void> => {
    const detail = `${calls} calls from ${ex.ip} within one period, over the per-IP limit of ${table.perIp}`
    return ctx.traffic.banAndHold(ex, clientId, 'ip-limit', detail, now)
  }
  /** `over` calls past a group's limit: 429 until `resetAt`, a ban past `ban.threshold`. */
  const refuse = (
    ex: Exchange,
    clientId: string,
    group: string,
    over: number,
    resetAt: number,
    now: number,
  ): void | Promise<void> => {
    if (over <= 0) return
    ex.notes.rateLimited = { group, over }
    if (over > threshold) {
      const detail = `${over - 1} calls in group ${group} after a 429 within the same period (threshold ${threshold})`
      return ctx.traffic.banAndHold(ex, clientId, 'ignored-429', detail, now)
    }
    ex.reply = tooManyRequests(ctx, ex, resetAt, now)
  }
  const check = async (ex: Exchange, clientId: string, now: number): Promise<void> => {
    // A certification step's window opening starts afresh: bans and 429 periods of the step before
    // end with it, and the step's incident is played before any limit, so that every step is played
    // whatever the client did before.
    if (clientId !== ANONYMOUS_CLIENT) {
      const step = await advanceRunFor(ex, ctx.store, clientId, now, ex.receivedAt)
      if (step?.opened) await ctx.traffic.lift(clientId)
      if (step && (await incidentAhead(ctx.store, clientId, step))) return
    }
    if (ex.banCheckedFor !== clientId) {
      const ban = await ctx.traffic.bans.active(clientId, ex.ip, () => now)
      if (ban) return ctx.traffic.holdForBan(ex, ban)
    }
    const table = await ctx.traffic.tableOf(clientId)
    if (table) return count(ex, clientId, table, now, false)
  }
  return (ex) => {
    const clientId = ex.identity?.clientId ?? ANONYMOUS_CLIENT
    const now = sandboxNow(ex)
    // The common case, told at once by the embedded store: no certification run, ban, client table
    // or 429 period on record for anyone. The sandbox's table counts the call, without other reads.
    if (ctx.traffic.quiet() && (clientId === ANONYMOUS_CLIENT || noRunOnRecord(ctx.store))) {
      const table = ctx.traffic.table
      if (!table) return
      const local = ctx.store.scope(clientId).local
      return local
        ? countAtOnce(ex, clientId, table, now, local)
        : count(ex, clientId, table, now, true)
    }
    return check(ex, clientId, now)
  }
}
