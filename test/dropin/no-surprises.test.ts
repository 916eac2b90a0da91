import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox } from '../../mock/create-sandbox.js'
import { runCli } from '../helpers/cli.js'
import { JSON_PATH, SIREN, startHarness, TRACE, type Harness } from '../traffic/harness.js'

describe('no surprises for a production client', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
  })
  afterAll(() => h.close())

  it('plays Prefer: scenario=burst-429 on that very request, then holds its 429 period', async () => {
    const c = await h.client()
    const token = await c.token()
    for (let i = 0; i < 2; i++) {
      const res = await request(h.url)
        .get(JSON_PATH)
        .query(TRACE)
        .set('authorization', `Bearer ${token}`)
        .set('prefer', 'scenario=burst-429')
      expect(res.status).toBe(429)
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
      // The first call plays the scenario; the next falls in the 429 period it started.
      if (i === 0) expect(res.headers['preference-applied']).toBe('scenario=burst-429')
    }
  })

  it('plays Prefer: scenario=provider-502-retry-in on the first call', async () => {
    const c = await h.client()
    const res = await request(h.url)
      .get(JSON_PATH)
      .query(TRACE)
      .set('authorization', `Bearer ${await c.token()}`)
      .set('prefer', 'scenario=provider-502-retry-in')
    expect(res.status).toBe(502)
  })

  it('sends Retry-After with every 503: magic SIREN, Prefer: code=503, maintenance scenario', async () => {
    const c = await h.client()
    const token = await c.token()
    const magic = await c.get('/v3/insee/sirene/unites_legales/000005033', token)
    expect(magic.status).toBe(503)
    expect(Number(magic.headers['retry-after'])).toBeGreaterThan(0)
    const preferred = await request(h.url)
      .get(JSON_PATH)
      .query(TRACE)
      .set('authorization', `Bearer ${token}`)
      .set('prefer', 'code=503')
    expect(preferred.status).toBe(503)
    expect(Number(preferred.headers['retry-after'])).toBeGreaterThan(0)
  })

  it('normalises repeated slashes before routing', async () => {
    const c = await h.client()
    const res = await request(h.url)
      .get(`/${JSON_PATH.replace('/sirene/', '//sirene/')}`)
      .query(TRACE)
      .set('authorization', `Bearer ${await c.token()}`)
    expect(res.status).toBe(200)
    expect(res.body.data).toMatchObject({ siren: SIREN })
  })
})

describe('a missing fixtures folder', () => {
  it('stops createSandbox with a message naming the folder', async () => {
    await expect(
      createSandbox({ state: 'memory', fixtures: '/nope/cases', log: () => undefined }),
    ).rejects.toThrow(/fixtures \/nope\/cases: no such folder/)
  })

  it('is exit 2 from the CLI', async () => {
    const r = await runCli(['serve', '--state', 'memory', '--fixtures', '/nope/cases'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/\/nope\/cases: no such folder/)
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  })
})
