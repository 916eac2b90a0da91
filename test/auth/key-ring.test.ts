import { describe, expect, it } from 'vitest'
import { openKeyRing } from '../../mock/auth/signing-keys.js'
import { resolveOptions } from '../../mock/options.js'
import { createMemoryStore } from '../../mock/store/memory-store.js'

const kidsOf = (jwks: string): string[] =>
  (JSON.parse(jwks) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid)

describe('signing key ring', () => {
  it('publishes only the key that won the first start when replicas start together', async () => {
    const store = await createMemoryStore()
    const tokens = resolveOptions({}).tokens
    const now = (): number => Date.UTC(2026, 0, 5, 9)
    // Both make a key and race for the pointer; the loser drops its own.
    const rings = await Promise.all([1, 2, 3].map(() => openKeyRing(store, tokens, now)))
    const active = (await rings[0]!.active()).kid
    for (const ring of rings) {
      expect((await ring.active()).kid).toBe(active)
      expect(kidsOf(await ring.jwks())).toEqual([active])
    }
    const stored = (await store.global.entries('signing-keys')).map(([kid]) => kid)
    expect(stored).toEqual([active])
  })

  it('does not publish a key that is neither active nor retired (a start-up loser, a key not yet active)', async () => {
    const store = await createMemoryStore()
    const tokens = resolveOptions({}).tokens
    const now = (): number => Date.UTC(2026, 0, 5, 9)
    const first = await openKeyRing(store, tokens, now)
    const active = (await first.active()).kid
    // What another replica leaves in the store for a moment: its key, before it drops it or before
    // it moves the pointer to it.
    const stored = (await store.global.get<{ publicJwk: object }>('signing-keys', active))!
    await store.global.set('signing-keys', 'in-between', {
      ...stored,
      kid: 'in-between',
      publicJwk: { ...stored.publicJwk, kid: 'in-between' },
    })
    const later = await openKeyRing(store, tokens, now)
    expect(kidsOf(await later.jwks())).toEqual([active])
    expect(await later.verificationKey('in-between')).toBeUndefined()
  })

  it('publishes a rotated key at once and keeps the retired one until its tokens expire', async () => {
    const store = await createMemoryStore()
    const tokens = resolveOptions({}).tokens
    let t = Date.UTC(2026, 0, 5, 9)
    const now = (): number => t
    const [a, b] = await Promise.all([
      openKeyRing(store, tokens, now),
      openKeyRing(store, tokens, now),
    ])
    const first = (await a!.active()).kid
    const { kid } = await a!.rotate()
    expect((await b!.active()).kid).toBe(kid)
    expect(kidsOf(await b!.jwks()).sort()).toEqual([first, kid].sort())
    t += tokens.maxLifetime * 1000 + 31_000
    expect(kidsOf(await b!.jwks())).toEqual([kid])
  })
})
