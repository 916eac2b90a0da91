import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { exportLines } from '../../mock/journal/journal-export.js'
import type { JournalEntry } from '../../mock/journal/journal-entry.js'
import { ADMIN, basic } from './helpers.js'

describe('the rest of the list', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await createSandbox({
      state: 'memory',
      adminToken: ADMIN,
      rateLimits: 'off',
      log: () => undefined,
    })
  })
  afterAll(() => sandbox.close())

  it('neutralises every CSV cell that starts like a formula, negative-number look-alikes included', async () => {
    const entry = {
      id: '1',
      kind: 'api',
      at: '2026-01-05T09:00:00.000Z',
      sandboxAt: '2026-01-05T09:00:00.000Z',
      ip: '127.0.0.1',
      method: 'GET',
      path: '/x',
      outcome: 'answered',
      latencyMs: 1,
      bytes: 0,
      clientClosed: false,
      context: "-2+3+cmd|' /C calc'!A0",
      recipient: '=1+1',
      object: '@SUM(1)',
    } as unknown as JournalEntry
    let csv = ''
    for await (const line of exportLines(
      (async function* () {
        yield entry
      })(),
      'csv',
    ))
      csv += line
    expect(csv).toContain("'-2+3+cmd")
    expect(csv).toContain("'=1+1")
    expect(csv).toContain("'@SUM(1)")
    expect(csv).not.toMatch(/,-2\+3/)
  })

  it('shows scenario file names in the open catalogue, never server paths', async () => {
    const res = await request(sandbox.app).get('/__sandbox/scenarios')
    expect(res.status).toBe(200)
    const files = (res.body as { scenarios: Array<{ file: string }> }).scenarios.map((s) => s.file)
    expect(files.length).toBeGreaterThan(0)
    for (const f of files) expect(f).not.toMatch(/[/\\]/)
  })

  it('pays the same scrypt for an unknown client id as for a wrong secret', async () => {
    const demo = sandbox.demoClient!
    const time = async (id: string): Promise<number> => {
      const t = performance.now()
      const res = await request(sandbox.app)
        .post('/oauth/token')
        .set('authorization', basic(id, 'Wrong-Secret-123!'))
        .type('form')
        .send({ grant_type: 'client_credentials' })
      expect(res.status).toBe(401)
      return performance.now() - t
    }
    const unknown: number[] = []
    const wrong: number[] = []
    for (let i = 0; i < 4; i++) {
      unknown.push(await time(`nobody-${i}`))
      wrong.push(await time(demo.clientId))
    }
    const median = (l: number[]): number => [...l].sort((a, b) => a - b)[l.length >> 1]!
    // Before, an unknown id answered without scrypt: tens of ms faster. Now both pay it.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.3)
  })
})

describe('an unreachable Redis at start-up', () => {
  it('is waited for a bounded time (--redis-wait), then exit 2 with a clear error', async () => {
    const { runCli } = await import('../helpers/cli.js')
    const started = Date.now()
    const r = await runCli([
      'serve',
      '--port',
      '0',
      '--state',
      'redis://127.0.0.1:1/0',
      '--redis-wait',
      '1',
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/did not answer within 1 s/)
    expect(Date.now() - started).toBeLessThan(20_000)
  })
})
