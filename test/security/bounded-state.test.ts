import { readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLockout } from '../../mock/auth/lockout.js'
import { createMemoryStore } from '../../mock/store/memory-store.js'
import { createSandboxClock } from '../../mock/clock/clock.js'
import { stateDir } from './helpers.js'

const folderBytes = (dir: string): number =>
  readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0)

describe('failed-login and lockout records', () => {
  afterEach(() => void vi.useRealTimers())

  it('made up by the thousand, are purged once their window is over, from memory and from the file', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    let t = Date.UTC(2026, 0, 5, 9)
    const file = join(stateDir(), 'state.json')
    const store = await createMemoryStore({ file, now: () => t, sweepEvery: 10_000 })
    const clock = createSandboxClock(store, () => t)
    const lockout = createLockout(
      store,
      clock,
      { maxFailures: 5, window: 300, duration: 900, perAddress: 100 },
      () => t,
    )
    for (let i = 0; i < 5_000; i++) await lockout.fail(`made-up-${i}`, '203.0.113.7')
    await store.flush()
    const full = folderBytes(dirname(file))
    expect(full).toBeGreaterThan(200_000)
    t += 301_000
    vi.advanceTimersByTime(10_000)
    // A clean stop compacts: what is left on disk is the live state only.
    await store.close()
    expect(folderBytes(dirname(file))).toBeLessThan(full / 20)
  })

  it('a lockout ends on the client clock: moved past it, the record goes', async () => {
    const t = Date.UTC(2026, 0, 5, 9)
    const store = await createMemoryStore({ now: () => t })
    const clock = createSandboxClock(store, () => t)
    const lockout = createLockout(
      store,
      clock,
      { maxFailures: 2, window: 300, duration: 900, perAddress: 100 },
      () => t,
    )
    await lockout.fail('c1', '198.51.100.1')
    expect(await lockout.fail('c1', '198.51.100.1')).toBe(900)
    expect(await lockout.remaining('c1', '198.51.100.1')).toBe(900)
    await clock.advance('c1', 901_000)
    expect(await lockout.remaining('c1', '198.51.100.1')).toBe(0)
    expect(await store.global.entries('auth-lockouts')).toEqual([])
    await store.close()
  })
})
