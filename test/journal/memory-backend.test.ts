import { describe, expect, it } from 'vitest'
import { createMemoryJournalBackend } from '../../mock/journal/memory-backend.js'
import { batchOf } from '../../mock/journal/journal-batch.js'
import { makeLine } from './make-entry.js'
import { describeJournalBackendContract } from './backend-contract.js'

const T0 = Date.UTC(2025, 0, 6, 9)

describe('memory journal backend', () => {
  it('keeps only the last `capacity` entries, oldest dropped first', async () => {
    const backend = createMemoryJournalBackend(3)
    const entries = [1, 2, 3, 4, 5].map((i) => makeLine({ t: T0 + i, path: `/p${i}` }))
    await backend.append(batchOf(entries))
    const page = await backend.query({}, 10)
    expect(page.entries.map((e) => e.path)).toEqual(['/p3', '/p4', '/p5'])
    expect(page.next).toBeUndefined()
  })

  it('resumes at the oldest entry left when a cursor points past dropped entries', async () => {
    const backend = createMemoryJournalBackend(2)
    await backend.append(batchOf([makeLine({ path: '/a' }), makeLine({ path: '/b' })]))
    const page = await backend.query({}, 1)
    await backend.append(batchOf([makeLine({ path: '/c' }), makeLine({ path: '/d' })]))
    expect((await backend.query({}, 5, page.next)).entries.map((e) => e.path)).toEqual(['/c', '/d'])
  })

  it('prunes every entry that arrived before the cut, none kept beside younger ones', async () => {
    const backend = createMemoryJournalBackend(10)
    await backend.append(
      batchOf([makeLine({ t: T0 }), makeLine({ t: T0 + 10 }), makeLine({ t: T0 + 20 })]),
    )
    await backend.prune(T0 + 15)
    expect((await backend.query({}, 10)).entries).toHaveLength(1)
  })

  it('streams a snapshot that later appends do not disturb, even when they evict its entries from the ring', async () => {
    const backend = createMemoryJournalBackend(3)
    await backend.append(batchOf([makeLine({ path: '/a' }), makeLine({ path: '/b' })]))
    const seen: string[] = []
    for await (const e of backend.stream({})) {
      seen.push(e.path)
      await backend.append(batchOf([makeLine({ path: '/late' })]))
    }
    expect(seen).toEqual(['/a', '/b'])
  })

  it('keeps lines whole across its storage blocks, multi-byte characters and oversized lines included', async () => {
    const backend = createMemoryJournalBackend(5000)
    // About 700 bytes each, accents and emoji included: several 1 MiB blocks, lines at their edges.
    const paths = Array.from({ length: 4000 }, (_, i) => `/é${'😀x'.repeat(120)}/${i}`)
    for (let i = 0; i < paths.length; i += 500)
      await backend.append(batchOf(paths.slice(i, i + 500).map((path) => makeLine({ path }))))
    // A line longer than a block gets a block of its own.
    await backend.append(
      batchOf([makeLine({ path: `/${'long'.repeat(400_000)}` }), makeLine({ path: '/after' })]),
    )
    const all = await backend.query({}, 10_000)
    expect(all.entries).toHaveLength(4002)
    expect(all.entries.slice(0, 4000).map((e) => e.path)).toEqual(paths)
    expect(all.entries[4000]!.path).toHaveLength(1_600_001)
    expect(all.entries[4001]!.path).toBe('/after')
  })
})

describeJournalBackendContract('memory', {
  open: async () => createMemoryJournalBackend(1000),
})
