import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Report } from '../../mock/report/build-report.js'
import { PLAN } from '../../mock/certification/plan.js'
import { basic, CarefulClient, loop, sirens } from './careful-client.mjs'
import { startSandbox, TRACE, type Harness } from './sandbox-harness.js'

const PRIVILEGES = [
  'unites_legales_etablissements_insee',
  'unites_legales_donnees_protegees',
  'attestation_fiscale_dgfip',
]
const PATHS = sirens().map((s) => `/v4/insee/sirene/unites_legales/${s}`)

async function certify(h: Harness, clientId: string, run: () => Promise<void>): Promise<Report> {
  const started = await fetch(`${h.url}/__sandbox/certification`, {
    method: 'POST',
    headers: h.admin,
    body: JSON.stringify({ client_id: clientId }),
  })
  expect(started.status).toBe(201)
  await run()
  const res = await fetch(`${h.url}/__sandbox/report?client=${clientId}`, { headers: h.admin })
  expect(res.status).toBe(200)
  return (await res.json()) as Report
}

/**
 * A client that ignores 429s and retries any failure at once (it renews its token when refused), but
 * lives on the sandbox clock (it
 * moves its clock 300 ms between calls and gives up on a call after 200 ms): it earns a ban in the
 * 429 step, long before the ban step.
 */
async function impatient(h: Harness, creds: { clientId: string; clientSecret: string }) {
  const move = async (ms: number) => {
    await fetch(`${h.url}/__sandbox/clock`, {
      method: 'POST',
      headers: { authorization: basic(creds), 'content-type': 'application/json' },
      body: JSON.stringify({ advance: ms / 1000 }),
    })
  }
  let token = await h.token(creds)
  const started = Date.now()
  for (let i = 0; Date.now() - started < 60_000; i++) {
    const res = await fetch(`${h.url}${PATHS[i % PATHS.length]}?${TRACE}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(200),
    }).catch(() => undefined)
    await res?.arrayBuffer().catch(() => undefined)
    if (res?.status === 401) token = await h.token(creds)
    const status = await fetch(`${h.url}/__sandbox/certification`, {
      headers: { authorization: basic(creds) },
    }).then((r) => r.json() as Promise<{ state: string }>)
    if (status.state === 'over') return
    // No wait at all after a 429: it hammers the group and earns a ban.
    if (res?.status !== 429) await move(300)
  }
}

const statuses = (r: Report): Record<string, string> =>
  Object.fromEntries(r.checks.map((c) => [c.id, c.status]))

describe('certification run (fast pace) with the reference clients', () => {
  let h: Harness
  let careful: Report
  beforeAll(async () => {
    h = await startSandbox({ seed: 1 })
    const creds = await h.createClient('careful', { privileges: PRIVILEGES })
    const client = new CarefulClient({
      baseUrl: h.url,
      ...creds,
      scopes: ['unites_legales_etablissements_insee'],
      wait: 'clock',
      timeoutScale: 0.2,
    })
    careful = await certify(h, 'careful', async () => {
      await loop(client, { gapMs: 300 })
    })
  }, 120_000)
  afterAll(() => h.close())

  it('the careful client passes every check, every step reached, played and judged', () => {
    // Every check of the client's API calls passes (call-back checks need a receiver it has not);
    // it calls only current operations, so the deprecation check has nothing to judge.
    const apiChecks = careful.checks.filter((c) => !c.id.startsWith('callback-'))
    expect(Object.fromEntries(apiChecks.map((c) => [c.id, c.status]))).toEqual(
      Object.fromEntries(
        apiChecks.map((c) => [c.id, c.id === 'deprecated' ? 'not-exercised' : 'pass']),
      ),
    )
    expect(careful.checks.filter((c) => c.status === 'fail')).toEqual([])
    expect(careful.verdict).toBe('pass')
    expect(careful.minimisation.unused).toEqual([])
    expect(careful.steps!.map((s) => [s.id, s.reached, s.played, s.judged])).toEqual(
      PLAN.map((s) => [s.id, true, true, true]),
    )
  })

  it('plays every step after a ban earned early, each in its own window', async () => {
    const creds = await h.createClient('impatient', { privileges: PRIVILEGES })
    const report = await certify(h, 'impatient', () => impatient(h, creds))
    const ban = report.checks.find((c) => c.id === 'ban')!
    expect(ban.status).toBe('fail')
    // Banned for ignoring 429s in the burst step, well before the ban step...
    const bannedIn429 = ban.evidence.some((e) => /ignored|call \d+ during a ban/.test(e.note))
    expect(bannedIn429).toBe(true)
    // ...and yet every later step was reached and played in its window.
    expect(report.steps!.map((s) => [s.id, s.reached, s.played])).toEqual(
      PLAN.map((s) => [s.id, true, true]),
    )
    expect(statuses(report)['retry-after']).toBe('fail')
    expect(report.verdict).toBe('fail')
  }, 120_000)

  it('is incomplete only when the client stopped calling', async () => {
    const creds = await h.createClient('quitter', {
      privileges: ['unites_legales_etablissements_insee'],
    })
    const token = await h.token(creds)
    const report = await certify(h, 'quitter', async () => {
      for (const path of PATHS.slice(0, 2))
        await fetch(`${h.url}${path}?${TRACE}`, { headers: { authorization: `Bearer ${token}` } })
    })
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([])
    expect(report.verdict).toBe('incomplete')
    expect(report.steps!.filter((s) => s.reached).map((s) => s.id)).toEqual(['partial-206'])
  })

  it('refuses a certification run on a sandbox whose waits are scaled by --delay-factor', async () => {
    const scaled = await startSandbox({ delayFactor: 0.1 })
    try {
      const res = await fetch(`${scaled.url}/__sandbox/certification`, {
        method: 'POST',
        headers: scaled.admin,
        body: JSON.stringify({ client_id: 'demo' }),
      })
      expect(res.status).toBe(409)
      expect(((await res.json()) as { detail: string }).detail).toMatch(
        /certification needs delayFactor 1 .*use pace "fast"/,
      )
    } finally {
      await scaled.close()
    }
  })
})
