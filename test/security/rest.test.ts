import { scrypt } from 'node:crypto'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { exportLines } from '../../mock/journal/journal-export.js'
import type { JournalEntry } from '../../mock/journal/journal-entry.js'
import { ADMIN, basic } from './helpers.js'

// scrypt as it is, watched: what a secret check costs is counted in calls and parameters, which a
// loaded machine does not blur as it does durations.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>()
  return { ...actual, scrypt: vi.fn(actual.scrypt) }
})

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
    // A client whose secret a person chose: its hash is scrypt's (the demo client's drawn secret is not).
    const auth = sandbox.context.auth
    await auth.clients.create('known', auth.defaultSettings(), 'Chosen-Secret-123!')
    const calls = vi.mocked(scrypt).mock.calls
    /** The scrypt parameters (N, r, p and key length) one refused token request paid for. */
    const costOf = async (id: string): Promise<unknown[]> => {
      const before = calls.length
      const res = await request(sandbox.app)
        .post('/oauth/token')
        .set('authorization', basic(id, 'Wrong-Secret-123!'))
        .type('form')
        .send({ grant_type: 'client_credentials' })
      expect(res.status).toBe(401)
      return calls.slice(before).map((args) => {
        const [, , length, options] = args as unknown[]
        return { length, ...(options as object) }
      })
    }
    // The first unknown id also makes the stand-in hash it is checked against, once per process.
    await costOf('nobody-first')
    const wrong = await costOf('known')
    // Before, an unknown id answered without scrypt; now it pays exactly what a wrong secret does.
    expect(wrong).toEqual([expect.objectContaining({ length: 32, N: 16_384, r: 8, p: 1 })])
    for (let i = 0; i < 3; i++) expect(await costOf(`nobody-${i}`)).toEqual(wrong)
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
