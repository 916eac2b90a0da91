import { withdrawAttestationKey } from '../certification/attestation.js'
import type { SandboxContext } from '../context.js'

/** A key withdrawn, and the key that signs in its place. */
export interface KeyWithdrawal {
  withdrawn: string
  active: string
  kind: 'token' | 'attestation'
}

/**
 * Withdraws a key at once (a leaked one), for the admin API and the console alike: a token signing
 * key leaves the JWKS and its tokens are refused (the active key is replaced first); the attestation
 * key (`attestation-…`) is replaced the same way. `undefined` when the sandbox holds no such key.
 */
export async function withdrawKey(
  ctx: SandboxContext,
  kid: string,
): Promise<KeyWithdrawal | undefined> {
  const { keys } = ctx.auth
  if (kid.startsWith('attestation-')) {
    const active = await withdrawAttestationKey(ctx.store, keys.sealer, kid)
    return active ? { withdrawn: kid, active, kind: 'attestation' } : undefined
  }
  const done = await keys.withdraw(kid)
  return done && { ...done, kind: 'token' }
}
