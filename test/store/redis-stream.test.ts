import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createRedisStore,
  StoreUnavailableError,
  type RedisStore,
} from '../../mock/store/redis-store.js'
import { openRedisStream } from '../../mock/store/redis-stream.js'
import { startRedisServer, type RedisServer } from './redis-server.js'

let server: RedisServer
let store: RedisStore
let n = 0
beforeAll(async () => {
  server = await startRedisServer()
})
afterAll(async () => {
  await server?.dispose()
})
afterEach(async () => {
  await store?.close()
})
const open = async (): Promise<RedisStore> =>
  (store = await createRedisStore({ url: server.url, keyPrefix: `s${++n}:` }))

describe('redis stream helpers', () => {
  it('appends entries and reads them back in order, with ids and Redis times', async () => {
    const s = openRedisStream<{ call: number }>(await open(), 'journal')
    const before = Date.now()
    const ids = [await s.append({ call: 1 }), ...(await s.appendMany([{ call: 2 }, { call: 3 }]))]
    const all = await s.range()
    expect(all.map((e) => e.id)).toEqual(ids)
    expect(all.map((e) => e.value)).toEqual([{ call: 1 }, { call: 2 }, { call: 3 }])
    expect(all[0]!.at).toBeGreaterThanOrEqual(before - 1000) // Redis's clock, same host
    expect(await s.length()).toBe(3)
  })

  it('pages forward with after, and newest first with reverse', async () => {
    const s = openRedisStream<number>(await open(), 'journal')
    await s.appendMany([1, 2, 3, 4, 5])
    const first = await s.range({ count: 2 })
    expect(first.map((e) => e.value)).toEqual([1, 2])
    expect((await s.range({ after: first[1]!.id, count: 2 })).map((e) => e.value)).toEqual([3, 4])
    const newest = await s.range({ reverse: true, count: 2 })
    expect(newest.map((e) => e.value)).toEqual([5, 4])
    expect((await s.range({ reverse: true, after: newest[1]!.id })).map((e) => e.value)).toEqual([
      3, 2, 1,
    ])
    const at = first[0]!.at
    expect((await s.range({ from: at, to: at + 60_000 })).length).toBe(5)
  })

  it('trims to about maxLen entries, by whole blocks', async () => {
    const s = openRedisStream<number>(await open(), 'journal', { maxLen: 100 })
    await s.appendMany(Array.from({ length: 1000 }, (_, i) => i))
    const length = await s.length()
    expect(length).toBeGreaterThanOrEqual(100)
    expect(length).toBeLessThanOrEqual(200)
    expect((await s.range({ reverse: true, count: 1 }))[0]!.value).toBe(999)
  })

  it('trims entries older than maxAgeMs on the next append', async () => {
    const s = openRedisStream<number>(await open(), 'journal', { maxAgeMs: 30 })
    await s.appendMany(Array.from({ length: 250 }, (_, i) => i))
    await sleep(60) // stream ids carry Redis's own clock: only real time ages them
    await s.append(250)
    expect(await s.length()).toBeLessThanOrEqual(51) // two full blocks of 100 dropped
  })

  it("gives the stream a TTL renewed on append, and lets its client's clear remove it", async () => {
    const st = await open()
    const s = openRedisStream<string>(st, 'journal', { clientId: 'c1', ttlMs: 60_000 })
    await s.append('x')
    expect(s.key).toBe(`s${n}:sx:c:c1:journal`)
    const ttl = await st.redis.pttl(s.key)
    expect(ttl).toBeGreaterThan(55_000)
    expect(ttl).toBeLessThanOrEqual(60_000)
    await st.scope('c1').clear()
    expect(await s.length()).toBe(0)
    expect(await st.redis.exists(s.key)).toBe(0)
  })

  it('rejects with StoreUnavailableError while Redis is down', async () => {
    const s = openRedisStream<string>(await open(), 'journal')
    await server.stop()
    try {
      await expect(s.append('x')).rejects.toBeInstanceOf(StoreUnavailableError)
      await expect(s.appendMany(['x', 'y'])).rejects.toBeInstanceOf(StoreUnavailableError)
      await expect(s.range()).rejects.toBeInstanceOf(StoreUnavailableError)
    } finally {
      await server.start()
    }
  })
})
