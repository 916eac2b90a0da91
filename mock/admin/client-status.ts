import { accountStatus, type AccountStatusInfo } from '../auth/account-status.js'
import type { SandboxClient } from '../auth/client-registry.js'
import type { SandboxContext } from '../context.js'

/** The client's status now, on its own sandbox clock, with the sandbox's notice period. */
export async function accountStatusNow(
  ctx: SandboxContext,
  client: SandboxClient,
): Promise<AccountStatusInfo> {
  return accountStatus(
    client,
    await ctx.clock.now(client.clientId),
    ctx.options.tokens.secretExpiryNoticeDays * 86_400_000,
  )
}
