import { appendFileSync, readdirSync, readFileSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFileJournalBackend } from '../../mock/journal/file-backend.js'
import type { JournalEntry } from '../../mock/journal/journal-entry.js'
import { tempFiles } from '../helpers/temp-files.js'
import { batchOf } from '../../mock/journal/journal-batch.js'
import { makeLine } from './make-entry.js'
import { describeJournalBackendContract } from './backend-contract.js'

const lines = (dir: string, name: string): JournalEntry[] =>
  readFileSync(join(dir, name), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as JournalEntry)

const all = async (
  backend: Awaited<ReturnType<typeof createFileJournalBackend>>,
): Promise<string[]> => {
  const out: string[] = []
  for await (const e of backend.stream({})) out.push(e.path)
  return out
}

describe('file journal backend', () => {
  it('appends entries as JSON lines in journal-000001.jsonl', async () => {
    const dir = tempFiles({})
    const backend = await createFileJournalBackend({ dir, rotateBytes: 1 << 20 })
    await backend.append(batchOf([makeLine({ path: '/a' }), makeLine({ path: '/b' })]))
    await backend.close()
    expect(readdirSync(dir)).toEqual(['journal-000001.jsonl'])
    expect(lines(dir, 'journal-000001.jsonl').map((e) => e.path)).toEqual(['/a', '/b'])
  })

  it('rotates to a new file once the current one reaches rotateBytes', async () => {
    const dir = tempFiles({})
    const backend = await createFileJournalBackend({ dir, rotateBytes: 600 })
    for (let i = 0; i < 6; i++) await backend.append(batchOf([makeLine({ path: `/p${i}` })]))
    await backend.close()
    const files = readdirSync(dir).sort()
    expect(files.length).toBeGreaterThan(2)
    for (const f of files.slice(0, -1))
      expect(readFileSync(join(dir, f)).length).toBeGreaterThanOrEqual(600)
    expect(files.flatMap((f) => lines(dir, f)).map((e) => e.path)).toEqual([
      '/p0',
      '/p1',
      '/p2',
      '/p3',
      '/p4',
      '/p5',
    ])
  })

  it('reads the newest entries across rotated files, and skips a line cut short', async () => {
    const dir = tempFiles({})
    const backend = await createFileJournalBackend({ dir, rotateBytes: 600 })
    for (let i = 0; i < 6; i++) await backend.append(batchOf([makeLine({ path: `/p${i}` })]))
    appendFileSync(join(dir, readdirSync(dir).sort()[1]!), '{"id":"cut')
    expect((await backend.latest({}, 4)).map((e) => e.path)).toEqual(['/p5', '/p4', '/p3', '/p2'])
    expect((await backend.latest({}, 10)).map((e) => e.path)).toEqual([
      '/p5',
      '/p4',
      '/p3',
      '/p2',
      '/p1',
      '/p0',
    ])
    await backend.close()
  })

  it('appends after a restart instead of rewriting what was there', async () => {
    const dir = tempFiles({})
    const first = await createFileJournalBackend({ dir, rotateBytes: 1 << 20 })
    await first.append(batchOf([makeLine({ path: '/before' })]))
    await first.close()
    const before = readFileSync(join(dir, 'journal-000001.jsonl'), 'utf8')
    const second = await createFileJournalBackend({ dir, rotateBytes: 1 << 20 })
    await second.append(batchOf([makeLine({ path: '/after' })]))
    expect(readFileSync(join(dir, 'journal-000001.jsonl'), 'utf8').startsWith(before)).toBe(true)
    expect(await all(second)).toEqual(['/before', '/after'])
    await second.close()
  })

  it('skips a line a crash cut short and starts the next entry on a line of its own', async () => {
    const dir = tempFiles({})
    const first = await createFileJournalBackend({ dir, rotateBytes: 1 << 20 })
    await first.append(batchOf([makeLine({ path: '/whole' })]))
    await first.close()
    appendFileSync(join(dir, 'journal-000001.jsonl'), '{"id":"cut-sh')
    const second = await createFileJournalBackend({ dir, rotateBytes: 1 << 20 })
    await second.append(batchOf([makeLine({ path: '/next' })]))
    expect(await all(second)).toEqual(['/whole', '/next'])
    await second.close()
  })

  it('pages with a cursor across rotated files', async () => {
    const dir = tempFiles({})
    const backend = await createFileJournalBackend({ dir, rotateBytes: 700 })
    for (let i = 0; i < 9; i++)
      await backend.append(
        batchOf([makeLine({ path: `/p${i}`, clientId: i % 3 === 0 ? 'x' : 'y' })]),
      )
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await backend.query({ clientId: 'y' }, 2, cursor)
      seen.push(...page.entries.map((e) => e.path))
      cursor = page.next
    } while (cursor)
    expect(seen).toEqual(['/p1', '/p2', '/p4', '/p5', '/p7', '/p8'])
    await backend.close()
  })

  it('prunes whole files last written before the cut, never the current one', async () => {
    const dir = tempFiles({})
    const backend = await createFileJournalBackend({ dir, rotateBytes: 300 })
    for (let i = 0; i < 3; i++) await backend.append(batchOf([makeLine({ path: `/p${i}` })]))
    const files = readdirSync(dir).sort()
    expect(files.length).toBeGreaterThan(1)
    const old = new Date(Date.now() - 40 * 86_400_000)
    for (const f of files) utimesSync(join(dir, f), old, old)
    await backend.prune(Date.now() - 30 * 86_400_000)
    expect(readdirSync(dir)).toEqual([files.at(-1)])
    await backend.append(batchOf([makeLine({ path: '/new' })]))
    const left = await all(backend)
    expect(left).not.toContain('/p0')
    expect(left.at(-1)).toBe('/new')
    await backend.close()
  })
})

describeJournalBackendContract('file', {
  open: () => createFileJournalBackend({ dir: tempFiles({}), rotateBytes: 1 << 20 }),
})
