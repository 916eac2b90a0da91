import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JournalEntry } from '../../mock/journal/journal-entry.js'
import { startCli } from '../helpers/cli.js'
import { tempFiles } from '../helpers/temp-files.js'

describe('journal on shutdown', () => {
  it('loses no entry when the sandbox is stopped with SIGTERM right after the requests', async () => {
    const dir = tempFiles({})
    const cli = await startCli(['--state', join(dir, 'state.json')])
    const N = 300
    const statuses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        fetch(`${cli.url}/v3/insee/sirene/unites_legales/418166096?n=${i}`).then((r) => r.status),
      ),
    )
    expect(statuses.every((s) => s === 401)).toBe(true)
    const result = await cli.stop('SIGTERM')
    expect(result.code).toBe(0)
    const folder = join(dir, 'journal')
    const entries = readdirSync(folder)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(join(folder, f), 'utf8').split('\n').filter(Boolean))
      .map((line) => JSON.parse(line) as JournalEntry)
      .filter((e) => e.kind === 'api')
    expect(entries).toHaveLength(N)
    expect(new Set(entries.map((e) => e.id)).size).toBe(N)
  })
})
