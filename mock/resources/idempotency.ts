import { createHash } from 'node:crypto'
import type { StoreScope } from '../store/store.js'

/** How long an answer is kept for replay under its `Idempotency-Key`: 24 h (Stripe's, the IETF draft's usual). */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000
/** How long a first request holds its key while it is being answered. */
const PENDING_TTL_MS = 60_000
const NS = 'idempotency'

/** An answer kept for replay. */
export interface SavedAnswer {
  status: number
  raw?: string
  headers: Record<string, string>
}

interface Slot {
  fingerprint: string
  answer?: SavedAnswer
}

export type Claim =
  | { kind: 'first'; save(answer: SavedAnswer): Promise<void>; release(): Promise<void> }
  | { kind: 'replay'; answer: SavedAnswer }
  | { kind: 'mismatch' }
  | { kind: 'in-progress' }

/** What identifies a request under a key: its operation, path and body. */
export const fingerprintOf = (operationId: string, path: string, body: unknown): string =>
  createHash('sha256')
    .update(`${operationId}\u0000${path}\u0000${JSON.stringify(body ?? null)}`)
    .digest('base64url')

/**
 * Claims an `Idempotency-Key` for a request, atomically (on Redis, across replicas): the first request
 * under a key is answered and its answer saved; the same key with the same request replays that answer;
 * the same key with another request is a mismatch; a replay while the first is still being answered is
 * told so (a conflict, as Stripe and the IETF draft answer).
 */
export async function claimKey(
  scope: StoreScope,
  operationId: string,
  key: string,
  fingerprint: string,
): Promise<Claim> {
  const k = `${operationId}\u0000${key}`
  const mine = await scope.setIfAbsent<Slot>(NS, k, { fingerprint }, PENDING_TTL_MS)
  if (mine)
    return {
      kind: 'first',
      save: (answer) => scope.set<Slot>(NS, k, { fingerprint, answer }, IDEMPOTENCY_TTL_MS),
      release: async () => void (await scope.delete(NS, k)),
    }
  const slot = await scope.get<Slot>(NS, k)
  if (!slot) return claimKey(scope, operationId, key, fingerprint)
  if (slot.fingerprint !== fingerprint) return { kind: 'mismatch' }
  return slot.answer ? { kind: 'replay', answer: slot.answer } : { kind: 'in-progress' }
}
