import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  JSON_PATH,
  startHarness,
  TRACE,
  times,
  type Harness,
  type TestClient,
} from '../traffic/harness.js'
import { arm, expectStatus, firstError } from './scenario-harness.js'

/** A magic SIREN (valid Luhn key) that the test's own magic table maps to partial-206. */
const MAGIC_SIREN = '000002063'

describe('scenario triggers', () => {
  let h: Harness
  const withPrefer = async (c: TestClient, prefer: string): Promise<request.Response> =>
    request(h.url)
      .get(JSON_PATH)
      .query(TRACE)
      .set('authorization', `Bearer ${await c.token()}`)
      .set('prefer', prefer)

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'magic-'))
    const magic = join(dir, 'magic.yaml')
    await writeFile(
      magic,
      `identifiers:\n  - identifier: '${MAGIC_SIREN}'\n    status: 206\n    scenario: partial-206\n    description: Partial answer.\n`,
    )
    h = await startHarness({ magicIdentifiers: magic })
  })
  afterAll(() => h.close())

  it('plays a scenario named in Prefer for that request and says so in Preference-Applied', async () => {
    const c = await h.client()
    const res = await withPrefer(c, 'return=representation, scenario=partial-206')
    expectStatus(res, 206)
    expect(res.headers['preference-applied']).toBe('scenario=partial-206')
    expectStatus(await c.get(JSON_PATH), 200)
  })

  it('answers 400 listing the known scenarios when Prefer names an unknown one', async () => {
    const c = await h.client()
    const res = await withPrefer(c, 'scenario=meteor-strike')
    expectStatus(res, 400)
    expect(JSON.stringify(res.body)).toMatch(/meteor-strike.*all-incidents.*burst-429/)
  })

  it("supports Prism's Prefer: code=, with production's shape for 429", async () => {
    const c = await h.client()
    expectStatus(await withPrefer(c, 'code=abc'), 400)
    const maintenance = await withPrefer(c, 'code=503')
    expectStatus(maintenance, 503)
    const op = h.sandbox.context.contract.operations.find(
      (o) => o.id === 'api_entreprise_v3_insee_unites_legales',
    )
    expect(firstError(maintenance).code).toBe(h.sandbox.context.errors(op, 503).code)
    // A 429 starts a 429 period, as production's would: the next call is refused too.
    const limited = await withPrefer(c, 'code=429')
    expectStatus(limited, 429)
    expect(limited.headers['ratelimit-remaining']).toBe('0')
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expectStatus(await c.get(JSON_PATH), 429)
  })

  it('arms a scenario for a client for N calls, then disarms it by itself', async () => {
    const c = await h.client()
    await arm(h, c, 'partial-206', { calls: 2 })
    const token = await c.token()
    expect((await times(3, () => c.get(JSON_PATH, token))).map((r) => r.status)).toEqual([
      206, 206, 200,
    ])
    const listed = await h
      .admin('get', '/__sandbox/scenarios')
      .query({ client_id: c.id })
      .expect(200)
    expect(listed.body.armed).toEqual([])
  })

  it('arms a scenario until a time on the client clock', async () => {
    const c = await h.client()
    await arm(h, c, 'maintenance-503', { until: '10m' })
    expectStatus(await c.get(JSON_PATH), 503)
    await h.admin('post', '/__sandbox/clock').send({ client_id: c.id, advance: '10m' }).expect(200)
    expectStatus(await c.get(JSON_PATH), 200)
  })

  it('disarms on request, and lets a client arm and disarm its own scenarios', async () => {
    const c = await h.client()
    await request(h.url)
      .post('/__sandbox/scenarios')
      .set('authorization', c.basic)
      .send({ scenario: 'maintenance-503' })
      .expect(201)
    expectStatus(await c.get(JSON_PATH), 503)
    const own = await request(h.url)
      .get('/__sandbox/scenarios')
      .set('authorization', c.basic)
      .expect(200)
    expect(own.body.armed).toEqual([
      expect.objectContaining({ client_id: c.id, scenario: 'maintenance-503' }),
    ])
    const gone = await request(h.url)
      .delete('/__sandbox/scenarios/maintenance-503')
      .set('authorization', c.basic)
      .expect(200)
    expect(gone.body.disarmed).toBe(1)
    expectStatus(await c.get(JSON_PATH), 200)
  })

  it('refuses to arm an unknown scenario with 400 listing the known ones', async () => {
    const c = await h.client()
    const res = await h
      .admin('post', '/__sandbox/scenarios')
      .send({ client_id: c.id, scenario: 'nope' })
      .expect(400)
    expect(res.body.known).toContain('all-incidents')
    expect(res.headers['content-type']).toMatch(/problem\+json/)
  })

  it('points at the certification run when one arms "certification" as a scenario', async () => {
    const c = await h.client()
    const res = await h
      .admin('post', '/__sandbox/scenarios')
      .send({ client_id: c.id, scenario: 'certification' })
      .expect(400)
    expect(res.body.detail).toMatch(/a run, not a scenario: POST \/__sandbox\/certification/)
  })

  it('lists the catalogue to anyone, with what a good client does', async () => {
    const res = await request(h.url).get('/__sandbox/scenarios').expect(200)
    const cert = res.body.scenarios.find((s: { name: string }) => s.name === 'all-incidents')
    expect(cert).toMatchObject({ kind: 'sequence', calls: 57 })
    expect(
      res.body.scenarios.every((s: { good_client?: string }) => typeof s.good_client === 'string'),
    ).toBe(true)
    expect(res.body.armed).toBeUndefined()
  })

  it('does not share scenarios or their counts between two clients', async () => {
    const a = await h.client()
    const b = await h.client()
    await arm(h, a, 'provider-502-retry-in')
    await arm(h, b, 'provider-502-retry-in')
    const ta = await a.token()
    const tb = await b.token()
    await times(3, () => a.get(JSON_PATH, ta))
    expectStatus(await a.get(JSON_PATH, ta), 502)
    // b's count is its own: its first call passes, and a's 502 memory is not b's.
    expectStatus(await b.get(JSON_PATH, tb), 200)
    const other = await h.client()
    expectStatus(await other.get(JSON_PATH), 200)
  })

  it('plays the scenario a magic identifier maps to', async () => {
    const c = await h.client()
    const res = await c.get(`/v3/insee/sirene/unites_legales/${MAGIC_SIREN}`)
    expectStatus(res, 206)
    expect(res.headers['sandbox-scenario']).toBe('partial-206')
  })
})
