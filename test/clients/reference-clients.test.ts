import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { luhnComplete } from '../../mock/data/identifiers.js'
import type { SandboxOptions } from '../../mock/options.js'
import type { Report } from '../../mock/report/build-report.js'
import { CarefulClient } from './careful-client.js'
import { NaiveClient } from './naive-client.js'
import { startSandbox, TRACE, type Harness } from './sandbox-harness.js'

/** Seventy fictitious companies: one resource each. */
const SIRENS = Array.from({ length: 70 }, (_, i) =>
  luhnComplete(`41816${String(i).padStart(3, '0')}`),
)
const PATH = (siren: string): string => `/v3/insee/sirene/unites_legales/${siren}`
const PRIVILEGES = [
  'unites_legales_etablissements_insee',
  'unites_legales_donnees_protegees',
  'attestation_fiscale_dgfip',
]
/**
 * Scenario delays (504 wait, latency, slow bodies) at 10 %: the run takes seconds, not minutes, and
 * the careful client's scaled timeouts (450 ms for JSON) stay well above a loaded CI's answer times.
 */
const FAST: SandboxOptions = { delayFactor: 0.1, ban: { holdFor: 0 }, seed: 1 }

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

async function warmUp(h: Harness): Promise<void> {
  // The first generated bodies are slow (cold code): a scaled 450 ms timeout must not meet them.
  const demo = h.sandbox.demoClient!
  const token = await h.token(demo)
  for (const siren of SIRENS)
    await fetch(`${h.url}${PATH(siren)}?${TRACE}`, {
      headers: { authorization: `Bearer ${token}` },
    })
}

async function carefulRun(options: SandboxOptions = FAST): Promise<Report> {
  const h = await startSandbox(options)
  try {
    await warmUp(h)
    const creds = await h.createClient('careful', { privileges: PRIVILEGES })
    const client = new CarefulClient({
      baseUrl: h.url,
      ...creds,
      scopes: ['unites_legales_etablissements_insee'],
      timeScale: options.delayFactor ?? 1,
    })
    return await certify(h, 'careful', async () => {
      await client.once(PATH(SIRENS[0]!))
      for (const siren of SIRENS) await client.get(PATH(siren))
    })
  } finally {
    await h.close()
  }
}

const statuses = (r: Report): Record<string, string> =>
  Object.fromEntries(r.checks.map((c) => [c.id, c.status]))

describe('reference clients under a certification run', () => {
  let careful: Report
  let naive: Report
  beforeAll(async () => {
    careful = await carefulRun()
    // Without a rate table, ignoring 429s does not earn a ban at once: the naive client lives on to
    // meet every incident of the sequence, and is banned by its ban step.
    const h = await startSandbox({ ...FAST, rateLimits: 'off' })
    try {
      await warmUp(h)
      const creds = await h.createClient('naive', { privileges: PRIVILEGES })
      const client = new NaiveClient({ baseUrl: h.url, ...creds })
      naive = await certify(h, 'naive', async () => {
        for (const siren of SIRENS) await client.get(PATH(siren))
      })
    } finally {
      await h.close()
    }
  }, 120_000)
  afterAll(() => undefined)

  it('the careful client passes every check', () => {
    for (const r of [careful, naive])
      console.log(
        JSON.stringify(
          r.checks.map((c) => [
            c.id,
            c.status,
            c.summary,
            c.evidence.slice(0, 3).map((e) => e.note),
          ]),
          null,
          1,
        ),
      )
    expect(statuses(careful)).toEqual(Object.fromEntries(careful.checks.map((c) => [c.id, 'pass'])))
    expect(careful.verdict).toBe('pass')
    expect(careful.minimisation.unused).toEqual([])
  })

  it.each([
    ['retry-after', /before the wait a 429 asked for/],
    ['retry-in', /before its retry_in had elapsed/],
    ['backoff', /retried too soon/],
    ['ban', /Kept calling while banned/],
    ['token-reuse', /fetched while the previous one was still good/],
    ['traceability', /lacked or had invalid traceability parameters/],
    ['timeouts', /kept the client waiting past the recommended timeout/],
    ['no-browser', /carried an Origin header/],
    ['least-privilege', /no call needed/],
  ])('the naive client fails %s, with evidence', (id, summary) => {
    const check = naive.checks.find((c) => c.id === id)!
    expect(check.status).toBe('fail')
    expect(check.summary).toMatch(summary)
    expect(check.evidence.length).toBeGreaterThan(0)
  })

  it('the naive client is not caught where its faults do not apply', () => {
    // A token per call never presents an expired token twice; it never asked for single-use tokens.
    expect(statuses(naive)['token-expiry']).not.toBe('fail')
    expect(statuses(naive)['single-use']).toBe('not-exercised')
    expect(naive.verdict).toBe('fail')
  })

  it('gives the same verdict for the same run with the same seed', async () => {
    expect(statuses(await carefulRun())).toEqual(statuses(careful))
  }, 120_000)
})
