import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryStore } from '../../mock/store/memory-store.js'
import { describeStoreContract } from './store-contract.js'

// The embedded store's TTLs run on its `now` option: the suite moves that clock, never sleeps.
let clock = 1_700_000_000_000
describeStoreContract('memory', {
  open: () => createMemoryStore({ now: () => clock }),
  elapse: async (ms) => {
    clock += ms
  },
})

describe('memory store with a lowdb file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-memory-store-'))
  let n = 0
  const nextFile = (): string => join(dir, `state-${++n}.json`)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  it('keeps its state across a close and a reopen of the same file, expired keys excepted', async () => {
    let now = 1_000_000
    const file = nextFile()
    const first = await createMemoryStore({ file, now: () => now })
    await first.global.set('clients', 'demo', { secret: 'hash' })
    await first.scope('c1').set('jti', 'live', true, 10_000)
    await first.scope('c1').set('jti', 'dying', true, 100)
    await first.scope('c1').hit('rate', 'g', 60_000, 5)
    await first.close()

    now += 1_000
    const second = await createMemoryStore({ file, now: () => now })
    expect(await second.global.get('clients', 'demo')).toEqual({ secret: 'hash' })
    expect(await second.scope('c1').get('jti', 'live')).toBe(true)
    expect(await second.scope('c1').get('jti', 'dying')).toBeUndefined()
    expect(await second.scope('c1').hit('rate', 'g', 60_000, 6)).toEqual({
      count: 2,
      resetAt: 60_005,
    })
    await second.close()
  })

  it('appends a burst of changes to its log with one sync, before any of them is acknowledged', async () => {
    const file = nextFile()
    const probe = await open(`${file}.probe`, 'w')
    const proto = Object.getPrototypeOf(probe) as FileHandle
    await probe.close()
    const sync = vi.spyOn(proto, 'datasync')
    const store = await createMemoryStore({ file })
    sync.mockClear()
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => store.scope('c1').set('ns', `k${i}`, i)),
    )
    expect(sync).toHaveBeenCalledTimes(1)
    // Acknowledged means on disk: the log holds all 100, before any snapshot.
    const log = readdirSync(dir).find((f) => f.startsWith(basename(file)) && f.endsWith('.log'))!
    expect(readFileSync(join(dir, log), 'utf8').trim().split('\n')).toHaveLength(100)
    await store.close()
  })

  it('writes counters at once on flush, without waiting for writeDelay; a close leaves one snapshot', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const file = nextFile()
    const store = await createMemoryStore({ file, writeDelay: 60_000 })
    await store.global.incr('n', 'calls', 60_000)
    await store.flush()
    const log = readdirSync(dir).find(
      (f) => f.startsWith(`${basename(file)}.`) && f.endsWith('.log'),
    )!
    expect(readFileSync(join(dir, log), 'utf8')).toContain('"v":1')
    await store.close()
    const saved = JSON.parse(readFileSync(file, 'utf8')) as {
      entries: Record<string, { v: unknown }>
    }
    expect(Object.values(saved.entries).map((e) => e.v)).toEqual([1])
  })

  it('writes a counter hit many times as one line with its latest value, never after a later deletion', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const file = nextFile()
    const store = await createMemoryStore({ file, writeDelay: 60_000 })
    const scope = store.scope('c1')
    for (let i = 0; i < 500; i++) await scope.hit('rate', 'g', 60_000, 5)
    await scope.incr('fails', 'x', 60_000)
    await scope.incr('fails', 'x', 60_000)
    await scope.delete('fails', 'x')
    await store.flush()
    const log = readdirSync(dir).find(
      (f) => f.startsWith(`${basename(file)}.`) && f.endsWith('.log'),
    )!
    const lines = readFileSync(join(dir, log), 'utf8').trim().split('\n')
    // The deletion, then the window's one line: the counter deleted is not written back after it.
    expect(lines).toHaveLength(2)
    expect(lines[0]).toContain('"d":1')
    expect(JSON.parse(lines[1]!)).toMatchObject({ v: { count: 500 } })
    await store.close()
    const reopened = await createMemoryStore({ file })
    expect(await reopened.scope('c1').hit('rate', 'g', 60_000, 6)).toMatchObject({ count: 501 })
    expect(await reopened.scope('c1').get('fails', 'x')).toBeUndefined()
    await reopened.close()
  })
  it('refuses a file that does not hold a sandbox state, saying how to recover', async () => {
    const file = nextFile()
    writeFileSync(file, '[1,2]')
    await expect(createMemoryStore({ file })).rejects.toThrow(/Delete it to start afresh/)
  })
})

describe('memory store: whether a namespace holds anything', () => {
  it('answers at once, in step with every set, delete, clear, expiry and reopen', async () => {
    let now = 2_000_000
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-holds-any-'))
    try {
      const file = join(dir, 'state.json')
      const store = await createMemoryStore({ file, now: () => now, sweepEvery: 60_000 })
      expect(store.holdsAny?.('ban')).toBe(false)
      await store.scope('c1').set('ban', '10.0.0.1', { until: 1 })
      await store.scope('c2').set('ban', '10.0.0.2', { until: 1 })
      // A key of another namespace, or the same key written again, changes nothing.
      await store.scope('c1').set('ban', '10.0.0.1', { until: 2 })
      await store.scope('c1').set('clock', 'offset', 5)
      expect(store.holdsAny?.('ban')).toBe(true)
      expect(await store.scope('c1').delete('ban', '10.0.0.1')).toBe(true)
      expect(store.holdsAny?.('ban')).toBe(true)
      await store.scope('c2').clear()
      expect(store.holdsAny?.('ban')).toBe(false)
      expect(store.holdsAny?.('clock')).toBe(true)
      // A key that expires leaves the count when it is read or swept.
      await store.scope('c3').set('ban', 'x', true, 1_000)
      await store.scope('c3').hit('rate', 'g', 1_000, now)
      expect(store.holdsAny?.('ban')).toBe(true)
      now += 5_000
      expect(await store.scope('c3').get('ban', 'x')).toBeUndefined()
      expect(store.holdsAny?.('ban')).toBe(false)
      // Read back from the file, the counts are those of what was stored.
      await store.scope('c4').set('scenarios', 'armed', [])
      await store.close()
      const again = await createMemoryStore({ file, now: () => now })
      expect(again.holdsAny?.('scenarios')).toBe(true)
      expect(again.holdsAny?.('clock')).toBe(true)
      expect(again.holdsAny?.('ban')).toBe(false)
      expect(again.holdsAny?.('rate')).toBe(false)
      await again.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('keeps an owner read from an unverified credential from being taken for a namespace', async () => {
    const store = await createMemoryStore()
    await store.scope('evil\u0000ban').set('clock', 'offset', 1)
    expect(store.holdsAny?.('ban')).toBe(false)
    expect(store.holdsAny?.('clock')).toBe(true)
    expect(await store.scope('evil\u0000ban').get('clock', 'offset')).toBe(1)
    await store.close()
  })
})
