import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  createRedisStore,
  StoreUnavailableError,
  type RedisStore,
} from '../../mock/store/redis-store.js'
import type { StoreScope } from '../../mock/store/store.js'
import { startRedisServer, type RedisServer } from './redis-server.js'

// Redis stopped and started under a live store. Waiting for the reconnection polls (vi.waitFor)
// because it happens on real sockets; nothing sleeps for a fixed time.
let server: RedisServer
const rejections: unknown[] = []
const onRejection = (reason: unknown): void => void rejections.push(reason)
beforeAll(async () => {
  server = await startRedisServer({ persist: true })
  process.on('unhandledRejection', onRejection)
})
afterAll(async () => {
  process.off('unhandledRejection', onRejection)
  await server?.dispose()
})

const lines: string[] = []
let store: RedisStore | undefined
const open = async (connectTimeoutMs = 2000, commandTimeoutMs = 2000): Promise<RedisStore> => {
  store = await createRedisStore({
    url: server.url,
    connectTimeoutMs,
    commandTimeoutMs,
    log: (l) => void lines.push(l),
  })
  return store
}
afterEach(async () => {
  await server.start()
  await store?.close()
  store = undefined
  lines.length = 0
})
const readyAgain = (s: RedisStore): Promise<void> =>
  vi.waitFor(async () => expect(await s.ready()).toBe(true), { timeout: 10_000, interval: 20 })

/** One call of each kind of operation. */
const everyOperation = (s: StoreScope): Array<() => Promise<unknown>> => [
  () => s.get('ns', 'k'),
  () => s.set('ns', 'k', 1),
  () => s.setIfAbsent('ns', 'k2', 1),
  () => s.delete('ns', 'k'),
  () => s.entries('ns'),
  () => s.incr('n', 'k', 1000),
  () => s.hit('rate', 'g', 1000, 1),
  () => s.clear(),
]

/** Command timeout of the fail-fast test, ms: failing fast must come long before it. */
const COMMAND_TIMEOUT_MS = 20_000
/** How long Redis is paused, ms. */
const PAUSE_MS = 5000

describe('redis store when Redis goes away', () => {
  it('rejects every operation with StoreUnavailableError at once, not after the command timeout, and says not ready', async () => {
    // A command timeout far beyond the bound below: a call that waited for it could not pass.
    const s = await open(2000, COMMAND_TIMEOUT_MS)
    await s.scope('c1').set('ns', 'k', 1)
    await server.stop()
    // Redis is gone once the client has seen its connection close (an event, not a delay).
    await vi.waitFor(() => expect(s.redis.status).not.toBe('ready'), {
      timeout: 10_000,
      interval: 5,
    })
    for (const call of everyOperation(s.scope('c1'))) {
      const started = performance.now()
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(StoreUnavailableError)
      expect((error as StoreUnavailableError).message).toMatch(
        /^the Redis store at redis:\/\/127\.0\.0\.1:\d+\/0 is unavailable/,
      )
      // Failing fast means not waiting for the command timeout; the margin absorbs a busy machine.
      expect(performance.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS / 2)
    }
    expect(await s.ready()).toBe(false)
    expect(lines).toEqual([
      expect.stringMatching(/unreachable .*API calls answer 503 until it returns$/),
    ])
    expect(rejections).toEqual([])
  })

  it('serves again, with its keys, once Redis is back, without a new store', async () => {
    const s = await open()
    await s.scope('c1').set('clients', 'kept', { n: 1 })
    await s.scope('c1').hit('rate', 'g', 60_000, 1_000)
    await server.stop()
    await expect(s.scope('c1').get('clients', 'kept')).rejects.toBeInstanceOf(StoreUnavailableError)
    await server.start()
    await readyAgain(s)
    expect(await s.scope('c1').get('clients', 'kept')).toEqual({ n: 1 })
    expect(await s.scope('c1').hit('rate', 'g', 60_000, 2_000)).toEqual({
      count: 2,
      resetAt: 61_000,
    })
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(/reachable again; service resumed$/)
    expect(rejections).toEqual([])
  })

  it('opens not ready when Redis is down at start-up, and serves once Redis starts', async () => {
    await server.stop()
    const s = await open(200)
    expect(await s.ready()).toBe(false)
    await expect(s.global.set('ns', 'k', 1)).rejects.toBeInstanceOf(StoreUnavailableError)
    expect(lines).toEqual([expect.stringMatching(/unreachable \(connect ECONNREFUSED/)])
    await server.start()
    await readyAgain(s)
    await s.global.set('ns', 'k', 1)
    expect(await s.global.get('ns', 'k')).toBe(1)
    expect(rejections).toEqual([])
  })

  it('rejects with StoreUnavailableError after commandTimeoutMs when Redis accepts but stops answering', async () => {
    store = await createRedisStore({ url: server.url, commandTimeoutMs: 300, readyTimeoutMs: 100 })
    const admin = await createRedisStore({ url: server.url })
    try {
      // Paused far longer than the command timeout: however late the machine runs the timer, the
      // command is still unanswered when it fires. Nothing can lift a pause of ALL clients early.
      await admin.redis.call('CLIENT', 'PAUSE', String(PAUSE_MS), 'ALL')
      const started = performance.now()
      await expect(store.global.get('ns', 'paused')).rejects.toBeInstanceOf(StoreUnavailableError)
      const waited = performance.now() - started
      // It waited for the command timeout (a timer never fires early by more than its rounding)...
      expect(waited).toBeGreaterThanOrEqual(300 - 2)
      // ...and not for Redis, which answers nothing before the pause ends.
      expect(waited).toBeLessThan(PAUSE_MS)
      expect(await store.ready()).toBe(false)
      await readyAgain(store)
      expect(await store.global.get('ns', 'paused')).toBeUndefined()
    } finally {
      await admin.close()
    }
  })

  it('closes cleanly while Redis is down', async () => {
    const s = await open()
    await server.stop()
    await s.close()
    expect(await s.ready()).toBe(false)
  })
})
