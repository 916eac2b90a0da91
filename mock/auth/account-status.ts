/**
 * The Douane's account colours, one meaning wherever a client's status is published (the admin API's
 * `status`, `/__sandbox/me`, the console's account and operator pages):
 * - `red`: the account cannot call the API: no privilege, or its secret was revoked;
 * - `yellow`: it can, but its holder must act to keep it working: the secret has expired (tokens are
 *   refused until it is renewed) or expires within the notice (`tokens.secretExpiryNoticeDays`);
 * - `green`: ready, nothing to do.
 */
export type AccountStatus = 'red' | 'yellow' | 'green'

/** Why an account is not green. */
export type StatusReason = 'no-privilege' | 'secret-revoked' | 'secret-expired' | 'secret-expiring'

export interface AccountStatusInfo {
  status: AccountStatus
  /** Absent when green. */
  reason?: StatusReason
}

/** The status of a client at sandbox time `sandboxNow` (its own clock). */
export function accountStatus(
  client: {
    readonly privileges: readonly string[]
    readonly secretHash: string | null
    /** Sandbox ms. */
    readonly secretExpiresAt: number
  },
  sandboxNow: number,
  noticeMs: number,
): AccountStatusInfo {
  if (client.privileges.length === 0) return { status: 'red', reason: 'no-privilege' }
  if (!client.secretHash) return { status: 'red', reason: 'secret-revoked' }
  if (client.secretExpiresAt <= sandboxNow) return { status: 'yellow', reason: 'secret-expired' }
  if (client.secretExpiresAt - sandboxNow <= noticeMs)
    return { status: 'yellow', reason: 'secret-expiring' }
  return { status: 'green' }
}
