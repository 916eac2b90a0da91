import { afterEach, describe, expect, it } from 'vitest'
import type { JournalBackend, JournalFilter } from '../../mock/journal/journal-backend.js'
import { batchOf } from '../../mock/journal/journal-batch.js'
import type { JournalEntry } from '../../mock/journal/journal-entry.js'
import { makeLine } from './make-entry.js'

/** How the contract suite gets a backend. */
export interface JournalBackendHarness {
  /** A fresh backend that holds nothing yet, with room for at least a thousand entries. */
  open(): Promise<JournalBackend>
}

const T0 = Date.UTC(2025, 0, 6, 9)

/**
 * The behaviour every {@link JournalBackend} shares (memory ring, JSONL files, Redis stream): the
 * rules written on the interface, run on each implementation, so that a query, an export or a report
 * reads the same journal whichever state the sandbox keeps.
 */
export function describeJournalBackendContract(name: string, harness: JournalBackendHarness): void {
  describe(`${name} journal backend contract`, () => {
    const opened: JournalBackend[] = []
    const open = async (): Promise<JournalBackend> => {
      const backend = await harness.open()
      opened.push(backend)
      return backend
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((b) => b.close()))
    })
    const paths = async (
      backend: JournalBackend,
      filter: JournalFilter = {},
      limit = 1000,
      cursor?: string,
    ): Promise<string[]> => (await backend.query(filter, limit, cursor)).entries.map((e) => e.path)
    const streamed = async (backend: JournalBackend, filter: JournalFilter = {}) => {
      const out: JournalEntry[] = []
      for await (const e of backend.stream(filter)) out.push(e)
      return out
    }

    it('gives entries back as they were appended, in append order, by query and by stream', async () => {
      const backend = await open()
      const first = makeLine({ t: T0, path: '/a', clientId: 'acme', status: 429, code: '00429' })
      await backend.append(batchOf([first, makeLine({ t: T0 + 1, path: '/b' })]))
      await backend.append(batchOf([makeLine({ t: T0 + 2, path: '/c' })]))
      expect(await paths(backend)).toEqual(['/a', '/b', '/c'])
      const all = await streamed(backend)
      expect(all.map((e) => e.path)).toEqual(['/a', '/b', '/c'])
      expect(all[0]).toMatchObject({
        path: '/a',
        clientId: 'acme',
        status: 429,
        code: '00429',
        at: new Date(T0).toISOString(),
      })
    })

    it('reads the newest matching entries first, as many as asked, and only those after an id', async () => {
      const backend = await open()
      const lines = Array.from({ length: 30 }, (_, i) =>
        makeLine({ t: T0 + i, clientId: i % 3 ? 'other' : 'acme', path: `/p${i}` }),
      )
      await backend.append(batchOf(lines.slice(0, 20)))
      await backend.append(batchOf(lines.slice(20)))
      const acme = await backend.latest({ clientId: 'acme' }, 3)
      expect(acme.map((e) => e.path)).toEqual(['/p27', '/p24', '/p21'])
      expect((await backend.latest({}, 2)).map((e) => e.path)).toEqual(['/p29', '/p28'])
      expect(await backend.latest({ clientId: 'acme', status: [{ code: 500 }] }, 5)).toEqual([])
      expect((await backend.latest({ clientId: 'acme' }, 100)).length).toBe(10)
      const after = await backend.latest({ clientId: 'acme' }, 10, acme[2]!.id)
      expect(after.map((e) => e.path)).toEqual(['/p27', '/p24'])
      expect(await backend.latest({ clientId: 'acme' }, 10, acme[0]!.id)).toEqual([])
    })

    it('reads newest first what it streams oldest first, across many appends of long lines', async () => {
      const backend = await open()
      const pad = 'x'.repeat(300)
      for (let b = 0; b < 6; b++)
        await backend.append(
          batchOf(
            Array.from({ length: 100 }, (_, i) =>
              makeLine({
                t: T0 + b * 100 + i,
                clientId: i % 2 ? 'odd' : 'even',
                path: `/p${b * 100 + i}/${pad}/é`,
              }),
            ),
          ),
        )
      const all = await streamed(backend, { clientId: 'odd' })
      expect(all).toHaveLength(300)
      expect(await backend.latest({ clientId: 'odd' }, 1000)).toEqual(all.reverse())
    })

    it('pages through matching entries with an opaque cursor; the last page has none', async () => {
      const backend = await open()
      await backend.append(
        batchOf(
          Array.from({ length: 10 }, (_, i) =>
            makeLine({ t: T0 + i, clientId: i % 2 ? 'odd' : 'even', path: `/p${i}` }),
          ),
        ),
      )
      const first = await backend.query({ clientId: 'odd' }, 2)
      expect(first.entries.map((e) => e.path)).toEqual(['/p1', '/p3'])
      expect(typeof first.next).toBe('string')
      const second = await backend.query({ clientId: 'odd' }, 2, first.next)
      expect(second.entries.map((e) => e.path)).toEqual(['/p5', '/p7'])
      const last = await backend.query({ clientId: 'odd' }, 2, second.next)
      expect(last.entries.map((e) => e.path)).toEqual(['/p9'])
      expect(last.next).toBeUndefined()
    })

    it('filters by client, operation, kind, status (code, class, none) and arrival range', async () => {
      const backend = await open()
      await backend.append(
        batchOf([
          makeLine({ t: T0, path: '/ok', status: 200 }),
          makeLine({ t: T0 + 1000, path: '/other-op', status: 429, operation: 'other' }),
          makeLine({ t: T0 + 2000, path: '/closed', status: undefined, outcome: 'client-closed' }),
          makeLine({ t: T0 + 3000, path: '/down', status: 503, clientId: 'beta' }),
          makeLine({ t: T0 + 4000, path: '/token', kind: 'token', status: 200 }),
        ]),
      )
      expect(await paths(backend, { clientId: 'beta' })).toEqual(['/down'])
      expect(await paths(backend, { operation: 'other' })).toEqual(['/other-op'])
      expect(await paths(backend, { kind: 'token' })).toEqual(['/token'])
      expect(await paths(backend, { status: [{ code: 429 }] })).toEqual(['/other-op'])
      expect(await paths(backend, { status: [{ class: 5 }, 'none'] })).toEqual(['/closed', '/down'])
      // `from` is inclusive, `to` exclusive.
      expect(await paths(backend, { from: T0 + 1000, to: T0 + 3000 })).toEqual([
        '/other-op',
        '/closed',
      ])
      expect((await streamed(backend, { status: [{ class: 2 }] })).map((e) => e.path)).toEqual([
        '/ok',
        '/token',
      ])
    })

    it('keeps every entry from a prune cut on, and a cursor taken before the prune reads on', async () => {
      const backend = await open()
      await backend.append(
        batchOf([0, 10, 20, 30].map((dt) => makeLine({ t: T0 + dt, path: `/t${dt}` }))),
      )
      const page = await backend.query({}, 1)
      expect(page.entries.map((e) => e.path)).toEqual(['/t0'])
      await backend.prune(T0 + 15)
      // Older entries may stay while they share storage with younger ones (a file, a stream chunk).
      expect((await paths(backend)).slice(-2)).toEqual(['/t20', '/t30'])
      expect((await paths(backend, {}, 10, page.next)).slice(-2)).toEqual(['/t20', '/t30'])
      expect((await streamed(backend)).map((e) => e.path).slice(-2)).toEqual(['/t20', '/t30'])
    })

    it('streams a snapshot that appends made while it is read do not disturb', async () => {
      const backend = await open()
      await backend.append(batchOf([makeLine({ path: '/a' }), makeLine({ path: '/b' })]))
      const seen: string[] = []
      for await (const e of backend.stream({})) {
        seen.push(e.path)
        await backend.append(batchOf([makeLine({ path: '/late' })]))
      }
      expect(seen).toEqual(['/a', '/b'])
      expect(await paths(backend)).toEqual(['/a', '/b', '/late', '/late'])
    })
  })
}
