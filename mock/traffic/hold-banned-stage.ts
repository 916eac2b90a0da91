import type { SandboxContext } from '../context.js'
import type { Exchange, Stage } from '../http/exchange.js'
import { peekClientId } from './peek-client.js'

/**
 * Connection (ban), the first stage: a request whose credentials name a client banned from this IP
 * gets no answer at all, before any other work. The client id is read without verification (see
 * `peekClientId`); requests it cannot read are checked again by `limitRate` once authenticated.
 */
export function holdBanned(ctx: SandboxContext): Stage {
  const check = async (ex: Exchange, clientId: string): Promise<void> => {
    ex.banCheckedFor = clientId
    const ban = await ctx.traffic.bans.active(clientId, ex.ip, async () => {
      // Read only when a ban is on record; kept on the exchange so the journal dates it on the client's clock.
      ex.clockOffset = await ctx.clock.offset(clientId)
      return ex.receivedAt + ex.clockOffset
    })
    if (ban) ctx.traffic.holdForBan(ex, ban)
  }
  return (ex) => {
    const clientId = peekClientId(ex.req)
    if (clientId === undefined) return undefined
    // No ban on record for anyone (the common case, told at once by the embedded store): no read.
    if (ctx.traffic.bans.noneOnRecord()) {
      ex.banCheckedFor = clientId
      return undefined
    }
    return check(ex, clientId)
  }
}
