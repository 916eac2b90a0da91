import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { JournalBackend } from '../../mock/journal/journal-backend.js'
import {
  createRedisJournalBackend,
  openRedisJournalBackend,
} from '../../mock/journal/redis-backend.js'
import { createRedisStore, type RedisStore } from '../../mock/store/redis-store.js'
import { startRedisServer, type RedisServer } from '../store/redis-server.js'
import { batchOf } from '../../mock/journal/journal-batch.js'
import { makeLine } from './make-entry.js'
import { describeJournalBackendContract } from './backend-contract.js'

// One real redis-server for the file, its database flushed after each test.
let server: RedisServer
let store: RedisStore
beforeAll(async () => {
  server = await startRedisServer()
  store = await createRedisStore({ url: server.url })
})
afterEach(async () => {
  await store.redis.flushdb()
})
afterAll(async () => {
  await store?.close()
  await server?.dispose()
})

const paths = async (backend: JournalBackend, ...args: Parameters<JournalBackend['query']>) =>
  (await backend.query(...args)).entries.map((e) => e.path)

describe('redis journal backend', () => {
  it('gives back what two replicas appended, in the order Redis received it', async () => {
    const a = createRedisJournalBackend(store)
    const other = await createRedisStore({ url: server.url })
    const b = createRedisJournalBackend(other, { ownsStore: true })
    await a.append(batchOf([makeLine({ path: '/a1' }), makeLine({ path: '/a2' })]))
    await b.append(batchOf([makeLine({ path: '/b1' })]))
    await a.append(batchOf([makeLine({ path: '/a3' })]))
    expect(await paths(b, {}, 10)).toEqual(['/a1', '/a2', '/b1', '/a3'])
    expect(await paths(a, {}, 10)).toEqual(['/a1', '/a2', '/b1', '/a3'])
    await b.close()
    expect(await other.ready()).toBe(false)
  })

  it('starts from the oldest entry on a cursor it did not give', async () => {
    const backend = createRedisJournalBackend(store)
    await backend.append(batchOf([makeLine({ path: '/a' }), makeLine({ path: '/b' })]))
    expect(await paths(backend, {}, 5, 'not-a-cursor')).toEqual(['/a', '/b'])
  })

  it('resumes at the oldest entry left when a cursor points past trimmed entries', async () => {
    const backend = createRedisJournalBackend(store)
    await backend.append(batchOf([makeLine({ path: '/a' }), makeLine({ path: '/b' })]))
    const page = await backend.query({}, 1)
    await store.redis.xtrim(store.keys().stream('journal'), 'MAXLEN', 0)
    await backend.append(batchOf([makeLine({ path: '/c' })]))
    expect(await paths(backend, {}, 5, page.next)).toEqual(['/c'])
  })

  it('filters on the entry times, whatever the Redis clock says', async () => {
    // Entries of a sandbox whose `now` is in 2030: the stream ids carry today's Redis time.
    const future = Date.UTC(2030, 0, 15, 9)
    const backend = createRedisJournalBackend(store)
    await backend.append(
      batchOf([
        makeLine({ t: future, status: 200 }),
        makeLine({ t: future + 1000, status: 429, operation: 'other' }),
        makeLine({ t: future + 2000, status: undefined, outcome: 'client-closed' }),
        makeLine({ t: future + 3000, status: 503 }),
      ]),
    )
    const times = async (filter: Parameters<JournalBackend['query']>[0]): Promise<string[]> =>
      (await backend.query(filter, 10)).entries.map((e) => e.at)
    expect(await times({ status: [{ class: 5 }, 'none'] })).toEqual([
      new Date(future + 2000).toISOString(),
      new Date(future + 3000).toISOString(),
    ])
    expect(await times({ operation: 'other' })).toEqual([new Date(future + 1000).toISOString()])
    expect(await times({ from: future + 1000, to: future + 3000 })).toHaveLength(2)
    await backend.prune(future + 10_000)
    expect(await times({})).toHaveLength(4)
  })

  it('keeps about maxEntries entries, trimming the oldest on append', async () => {
    const backend = createRedisJournalBackend(store, { maxEntries: 100 })
    for (let i = 0; i < 5; i++)
      await backend.append(
        batchOf(Array.from({ length: 100 }, (_, j) => makeLine({ path: `/p${i}-${j}` }))),
      )
    const kept = await paths(backend, {}, 1000)
    // MAXLEN ~ trims whole blocks: at least the limit is kept, far less than everything.
    expect(kept.length).toBeGreaterThanOrEqual(100)
    expect(kept.length).toBeLessThan(500)
    expect(kept.at(-1)).toBe('/p4-99')
  })

  it('gives the stream a TTL no shorter than the retention period', async () => {
    const backend = createRedisJournalBackend(store, { maxAgeMs: 7 * 86_400_000 })
    await backend.append(batchOf([makeLine()]))
    const ttl = await store.redis.pttl(store.keys().stream('journal'))
    expect(ttl).toBeGreaterThan(7 * 86_400_000 - 60_000)
  })

  it('streams a snapshot that later appends do not disturb', async () => {
    const backend = createRedisJournalBackend(store, { pageEntries: 1 })
    await backend.append(batchOf([makeLine({ path: '/a' }), makeLine({ path: '/b' })]))
    const seen: string[] = []
    for await (const e of backend.stream({})) {
      seen.push(e.path)
      await backend.append(batchOf([makeLine({ path: '/late' })]))
    }
    expect(seen).toEqual(['/a', '/b'])
  })

  it('opens a connection of its own from a URL and closes it with the backend', async () => {
    const backend = await openRedisJournalBackend({ url: server.url })
    await backend.append(batchOf([makeLine({ path: '/own' })]))
    expect(await paths(createRedisJournalBackend(store), {}, 5)).toEqual(['/own'])
    await backend.close()
    await expect(backend.append(batchOf([makeLine()]))).rejects.toThrow()
  })
})

describeJournalBackendContract('redis', {
  open: async () => createRedisJournalBackend(store, { pageEntries: 3 }),
})
