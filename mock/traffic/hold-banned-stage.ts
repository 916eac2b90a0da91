import type { SandboxContext } from '../context.js'
import type { Exchange, Stage } from '../http/exchange.js'
import type { BanReason, BanRecord } from './bans.js'
import { peekClientId } from './peek-client.js'

/** Exchanges whose (client, IP) ban was already checked, and for which client. */
const checked = new WeakMap<Exchange, string>()

/** True when `holdBanned` already checked this exchange's client for a ban. */
export const banChecked = (ex: Exchange, clientId: string): boolean => checked.get(ex) === clientId

/** Holds a banned client's connection: no status line, no byte, until it gives up or the cap. */
export function holdForBan(ctx: SandboxContext, ex: Exchange, ban: BanRecord): void {
  ex.notes.ban = { reason: ban.reason, until: new Date(ban.until).toISOString() }
  ctx.traffic.holder.hold(
    ex,
    `banned until ${new Date(ban.until).toISOString()} (${ban.reason})`,
    ban.holdMs,
  )
}

/** Bans a client from the exchange's IP, then holds this very connection. */
export async function banAndHold(
  ctx: SandboxContext,
  ex: Exchange,
  clientId: string,
  reason: BanReason,
  detail: string,
  nowMs: number,
  durationMs?: number,
): Promise<void> {
  holdForBan(ctx, ex, await ctx.traffic.ban(clientId, ex.ip, reason, detail, nowMs, durationMs))
}

/**
 * Connection (ban), the first stage: a request whose credentials name a client banned from this IP
 * gets no answer at all, before any other work. The client id is read without verification (see
 * `peekClientId`); requests it cannot read are checked again by `limitRate` once authenticated.
 */
export function holdBanned(ctx: SandboxContext): Stage {
  return async (ex) => {
    const clientId = peekClientId(ex.req)
    if (clientId === undefined) return
    checked.set(ex, clientId)
    const ban = await ctx.traffic.bans.active(clientId, ex.ip, async () => {
      // Read only when a ban is on record; kept on the exchange so the journal dates it on the client's clock.
      ex.clockOffset = await ctx.clock.offset(clientId)
      return ex.receivedAt + ex.clockOffset
    })
    if (ban) holdForBan(ctx, ex, ban)
  }
}
