import { afterEach, describe, expect, it } from 'vitest'
import type { Store } from '../../mock/store/store.js'

/** How the contract suite gets a store and lets its TTL clock run. */
export interface StoreHarness {
  /** A fresh store that holds nothing yet. */
  open(): Promise<Store>
  /** Lets `ms` pass on the clock the store's TTLs run on. */
  elapse(ms: number): Promise<void>
}

/**
 * A TTL, ms: long enough that no real delay between two calls (a loaded machine, a slow Redis) runs it
 * down by itself; `harness.elapse` moves the clock past it without waiting.
 */
const TTL = 60_000

const sorted = <T>(pairs: Array<[string, T]>): Array<[string, T]> =>
  [...pairs].sort(([a], [b]) => a.localeCompare(b))

/**
 * The behaviour every {@link Store} shares, run on each implementation (memory, Redis): whatever a
 * feature does with one store, it can do with the other.
 */
export function describeStoreContract(name: string, harness: StoreHarness): void {
  describe(`${name} store contract`, () => {
    const opened: Store[] = []
    const open = async (): Promise<Store> => {
      const store = await harness.open()
      opened.push(store)
      return store
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()))
    })

    it('reads back every JSON value it stored, and undefined for a key never set', async () => {
      const s = (await open()).global
      const values = [{ a: [1, 'two', { three: true }] }, [1, 2], 'text', 42.5, false, null]
      for (const [i, v] of values.entries()) await s.set('ns', `k${i}`, v)
      for (const [i, v] of values.entries()) expect(await s.get('ns', `k${i}`)).toEqual(v)
      expect(await s.get('ns', 'never')).toBeUndefined()
    })

    it('keeps the global scope and each client scope apart, even with colons in names', async () => {
      const store = await open()
      await store.global.set('ns', 'k', 'global')
      await store.scope('a').set('ns', 'k', 'a')
      await store.scope('a:b').set('c', 'k', 'a:b / c')
      await store.scope('a').set('b:c', 'k', 'a / b:c')
      expect(await store.global.get('ns', 'k')).toBe('global')
      expect(await store.scope('a').get('ns', 'k')).toBe('a')
      expect(await store.scope('b').get('ns', 'k')).toBeUndefined()
      expect(await store.scope('a:b').get('c', 'k')).toBe('a:b / c')
      expect(await store.scope('a').get('b:c', 'k')).toBe('a / b:c')
      expect(await store.scope('a:b').entries('c')).toEqual([['k', 'a:b / c']])
    })

    it('forgets a value once its ttl has passed, and keeps one set without ttl', async () => {
      const s = (await open()).scope('c1')
      await s.set('ns', 'short', 1, TTL)
      await s.set('ns', 'forever', 2)
      await harness.elapse(2 * TTL)
      expect(await s.get('ns', 'short')).toBeUndefined()
      expect(await s.get('ns', 'forever')).toBe(2)
    })

    it('stores with setIfAbsent only when the key is absent or expired', async () => {
      const s = (await open()).scope('c1')
      expect(await s.setIfAbsent('jti', 'x', 'first', TTL)).toBe(true)
      expect(await s.setIfAbsent('jti', 'x', 'second', TTL)).toBe(false)
      expect(await s.get('jti', 'x')).toBe('first')
      await harness.elapse(2 * TTL)
      expect(await s.setIfAbsent('jti', 'x', 'third')).toBe(true)
      expect(await s.get('jti', 'x')).toBe('third')
    })

    it('lets exactly one of 50 concurrent setIfAbsent calls win', async () => {
      const s = (await open()).scope('c1')
      const wins = await Promise.all(
        Array.from({ length: 50 }, (_, i) => s.setIfAbsent('jti', 'once', i)),
      )
      expect(wins.filter(Boolean)).toHaveLength(1)
      expect(await s.get('jti', 'once')).toBe(wins.indexOf(true))
    })

    it('deletes a key and says whether it existed', async () => {
      const s = (await open()).global
      await s.set('ns', 'k', 'v')
      expect(await s.delete('ns', 'k')).toBe(true)
      expect(await s.delete('ns', 'k')).toBe(false)
      expect(await s.get('ns', 'k')).toBeUndefined()
    })

    it('lists the live keys of one namespace only', async () => {
      const store = await open()
      const s = store.scope('c1')
      await s.set('clients', 'a', { n: 1 })
      await s.set('clients', 'b', { n: 2 }, 10 * TTL)
      await s.set('clients', 'gone', { n: 3 })
      await s.delete('clients', 'gone')
      await s.set('clients', 'expired', { n: 4 }, TTL)
      await s.set('other', 'c', { n: 5 })
      await store.scope('c2').set('clients', 'd', { n: 6 })
      await store.global.set('clients', 'e', { n: 7 })
      await harness.elapse(2 * TTL)
      expect(sorted(await s.entries('clients'))).toEqual([
        ['a', { n: 1 }],
        ['b', { n: 2 }],
      ])
      expect(await s.entries('empty')).toEqual([])
    })

    it('counts with incr from 1, exactly under 100 concurrent calls', async () => {
      const s = (await open()).scope('c1')
      const counts = await Promise.all(
        Array.from({ length: 100 }, () => s.incr('n', 'calls', 60_000)),
      )
      expect([...counts].sort((a, b) => a - b)).toEqual(
        Array.from({ length: 100 }, (_, i) => i + 1),
      )
      expect(await s.get('n', 'calls')).toBe(100)
    })

    it('keeps the ttl a counter got at creation, not at its last increment', async () => {
      const s = (await open()).scope('c1')
      expect(await s.incr('n', 'k', TTL)).toBe(1)
      await harness.elapse(0.6 * TTL)
      expect(await s.incr('n', 'k', TTL)).toBe(2)
      await harness.elapse(0.6 * TTL)
      expect(await s.incr('n', 'k', TTL)).toBe(1)
    })

    it('continues a counter that was stored with set', async () => {
      const s = (await open()).global
      await s.set('n', 'k', 41)
      expect(await s.incr('n', 'k', 1000)).toBe(42)
      expect(await s.get('n', 'k')).toBe(42)
    })

    it('opens a window on the first hit and counts hits until its end', async () => {
      const s = (await open()).scope('c1')
      const t0 = 1_700_000_000_123
      expect(await s.hit('rate', 'g', 1000, t0)).toEqual({ count: 1, resetAt: t0 + 1000 })
      expect(await s.hit('rate', 'g', 1000, t0 + 500)).toEqual({ count: 2, resetAt: t0 + 1000 })
      expect(await s.hit('rate', 'g', 1000, t0 + 999)).toEqual({ count: 3, resetAt: t0 + 1000 })
      expect(await s.get('rate', 'g')).toEqual({ count: 3, resetAt: t0 + 1000 })
    })

    it('anchors the next window on the first hit at or after the end, not on a grid', async () => {
      const s = (await open()).scope('c1')
      const t0 = 1_700_000_000_123
      await s.hit('rate', 'g', 1000, t0)
      expect(await s.hit('rate', 'g', 1000, t0 + 1000)).toEqual({ count: 1, resetAt: t0 + 2000 })
      expect(await s.hit('rate', 'g', 1000, t0 + 5_432)).toEqual({ count: 1, resetAt: t0 + 6_432 })
    })

    it('answers the same reads and hits at once where it is local, in step with the async ones', async () => {
      const store = await open()
      const s = store.scope('c1')
      const local = s.local
      // A store shared between processes has no local form: everything goes through promises.
      if (store.kind === 'redis') return expect(local).toBeUndefined()
      expect(local).toBeDefined()
      const t0 = 1_700_000_000_123
      expect(local!.hit('rate', 'g', 1000, t0)).toEqual({ count: 1, resetAt: t0 + 1000 })
      expect(await s.hit('rate', 'g', 1000, t0 + 1)).toEqual({ count: 2, resetAt: t0 + 1000 })
      expect(local!.hit('rate', 'g', 1000, t0 + 2)).toEqual({ count: 3, resetAt: t0 + 1000 })
      expect(local!.get('rate', 'g')).toEqual(await s.get('rate', 'g'))
      await s.set('n', 'k', { a: 1 })
      expect(local!.get('n', 'k')).toEqual({ a: 1 })
      expect(local!.get('n', 'absent')).toBeUndefined()
      expect(store.scope('c2').local!.get('n', 'k')).toBeUndefined()
      // A hit handed out is a copy: changing it changes nothing stored.
      local!.hit('rate', 'g', 1000, t0 + 3).count = 99
      expect(await s.get('rate', 'g')).toEqual({ count: 4, resetAt: t0 + 1000 })
    })

    it('counts exactly 200 concurrent hits in one window', async () => {
      const s = (await open()).scope('c1')
      const t0 = 1_700_000_000_000
      const hits = await Promise.all(
        Array.from({ length: 200 }, (_, i) => s.hit('rate', 'g', 60_000, t0 + i)),
      )
      expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 200 }, (_, i) => i + 1),
      )
      expect(new Set(hits.map((h) => h.resetAt)).size).toBe(1)
    })

    it("clears every key of a client's scope and nothing else", async () => {
      const store = await open()
      const s = store.scope('c1')
      await s.set('a', 'k', 1)
      await s.set('b', 'k', 2, 60_000)
      await s.incr('n', 'k', 60_000)
      await s.hit('rate', 'g', 1000, 1)
      await store.scope('c2').set('a', 'k', 'other client')
      await store.global.set('a', 'k', 'global')
      await s.clear()
      for (const ns of ['a', 'b', 'n', 'rate']) {
        expect(await s.get(ns, 'k')).toBeUndefined()
        expect(await s.entries(ns)).toEqual([])
      }
      expect(await store.scope('c2').get('a', 'k')).toBe('other client')
      expect(await store.global.get('a', 'k')).toBe('global')
      await s.set('a', 'k', 'again')
      expect(await s.entries('a')).toEqual([['k', 'again']])
    })

    it('is ready once open and closes twice without error', async () => {
      const store = await open()
      expect(await store.ready()).toBe(true)
      await store.flush()
      await store.close()
      await store.close()
    })
  })
}
