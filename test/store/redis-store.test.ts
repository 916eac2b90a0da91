import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SandboxConfigError } from '../../mock/errors.js'
import { createRedisStore, type RedisStore } from '../../mock/store/redis-store.js'
import { startRedisServer, type RedisServer } from './redis-server.js'
import { describeStoreContract } from './store-contract.js'

// One real redis-server for this file, spawned on a free loopback port (never skipped: without
// redis-server on PATH, beforeAll fails with the command that installs it).
let server: RedisServer
let raw: Redis
beforeAll(async () => {
  server = await startRedisServer()
  raw = new Redis(server.url)
})
afterAll(async () => {
  await raw?.quit()
  await server?.dispose()
})

// Each store gets its own key prefix: tests never see each other's keys, no FLUSHDB needed.
let n = 0
const opened: RedisStore[] = []
const open = async (
  options: { defaultTtlMs?: number; keyPrefix?: string } = {},
): Promise<RedisStore> => {
  const store = await createRedisStore({ url: server.url, keyPrefix: `t${++n}:`, ...options })
  opened.push(store)
  return store
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()))
})

/**
 * Redis expires keys on its own clock, which cannot be moved. Time passes for the contract suite as
 * that much time would pass for Redis's expiry: `ms` comes off the remaining TTL of every key, and a
 * key whose TTL it exhausts is gone. Nothing waits, and no real delay between two calls can run a
 * TTL of the suite down by itself.
 */
const ELAPSE = `
local ms = tonumber(ARGV[1])
for _, key in ipairs(redis.call('KEYS', '*')) do
  local ttl = redis.call('PTTL', key)
  if ttl > 0 then
    if ttl <= ms then redis.call('DEL', key) else redis.call('PEXPIRE', key, ttl - ms) end
  end
end
return 0
`
describeStoreContract('redis', {
  open: () => open(),
  elapse: async (ms) => {
    await raw.eval(ELAPSE, 0, Math.round(ms))
  },
})

/** Every key under a prefix with its PTTL. */
async function ttls(prefix: string): Promise<Record<string, number>> {
  const keys = await raw.keys(`${prefix}*`)
  const out: Record<string, number> = {}
  for (const key of keys) out[key.slice(prefix.length)] = await raw.pttl(key)
  return out
}

describe('redis store', () => {
  it('lays keys out as st:<owner>:<ns>:<key>, with the namespace and owner indexes beside them', async () => {
    const store = await open({ keyPrefix: 'layout:' })
    await store.global.set('clients', 'demo', { id: 'demo' })
    await store.scope('c1').set('jti', 'abc', true, 60_000)
    expect(Object.keys(await ttls('layout:')).sort()).toEqual([
      'si:_:clients',
      'si:c:c1:jti',
      'so:_',
      'so:c:c1',
      'st:_:clients:demo',
      'st:c:c1:jti:abc',
    ])
    expect(await raw.get('layout:st:c:c1:jti:abc')).toBe('true')
    expect(await raw.get('layout:st:_:clients:demo')).toBe('~{"id":"demo"}')
  })

  it('gives every key a TTL after every kind of operation', async () => {
    const store = await open({ keyPrefix: 'ttl:' })
    const s = store.scope('c1')
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['set', () => s.set('a', 'k', 1)],
      ['set with ttl', () => s.set('a', 'k2', 1, 5_000)],
      ['setIfAbsent', () => s.setIfAbsent('b', 'k', 1)],
      ['setIfAbsent with ttl', () => s.setIfAbsent('b', 'k2', 1, 5_000)],
      ['incr', () => s.incr('c', 'k', 5_000)],
      ['incr on a set number', () => s.incr('a', 'k', 5_000)],
      ['hit', () => s.hit('d', 'k', 1_000, 1_000_000)],
      ['get', () => s.get('a', 'k')],
      ['delete', () => s.delete('a', 'k2')],
      ['global set', () => store.global.set('e', 'k', 'v')],
    ]
    for (const [step, run] of steps) {
      await run()
      for (const [key, ttl] of Object.entries(await ttls('ttl:'))) {
        expect(ttl, `${key} after ${step}`).toBeGreaterThan(0)
      }
    }
  })

  it('gives a key set without ttl the default TTL, renewed by a read once it ran down', async () => {
    const store = await open({ keyPrefix: 'slide:', defaultTtlMs: 600_000 })
    await store.global.set('clients', 'demo', 1)
    await store.global.set('jti', 'short', 1, 5_000)
    expect(await raw.pttl('slide:st:_:clients:demo')).toBeGreaterThan(590_000)
    await raw.pexpire('slide:st:_:clients:demo', 100_000) // as if 500 s had passed
    await raw.pexpire('slide:si:_:clients', 100_000)
    expect(await store.global.get('clients', 'demo')).toBe(1)
    expect(await raw.pttl('slide:st:_:clients:demo')).toBeGreaterThan(590_000)
    expect(await raw.pttl('slide:si:_:clients')).toBeGreaterThan(590_000)
    expect(await store.global.get('jti', 'short')).toBe(1)
    expect(await raw.pttl('slide:st:_:jti:short')).toBeLessThanOrEqual(5_000)
  })

  it('drops expired keys from the namespace index on the next write, so it never grows unbounded', async () => {
    const store = await open({ keyPrefix: 'prune:' })
    for (let i = 0; i < 50; i++) await store.global.set('jti', `old${i}`, true, 30)
    await sleep(60)
    await store.global.set('jti', 'new', true, 60_000)
    expect(await raw.zcard('prune:si:_:jti')).toBe(1)
  })

  it('counts exactly 500 concurrent hits sent through two connections', async () => {
    const a = await open({ keyPrefix: 'race:' })
    const b = await open({ keyPrefix: 'race:' })
    const t0 = 1_700_000_000_000
    const hits = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        (i % 2 ? a : b).scope('c1').hit('rate', 'g', 60_000, t0 + i),
      ),
    )
    expect(hits.map((h) => h.count).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 500 }, (_, i) => i + 1),
    )
    expect(await a.scope('c1').get('rate', 'g')).toEqual({ count: 500, resetAt: t0 + 60_000 })
  })

  it('refuses a URL that is not redis://host:port/db at start-up, with a configuration error', async () => {
    for (const url of ['redis://', 'http://127.0.0.1:6379', 'redis://127.0.0.1:6379/zero']) {
      await expect(createRedisStore({ url })).rejects.toBeInstanceOf(SandboxConfigError)
    }
  })
})
