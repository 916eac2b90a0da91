import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { ADMIN, getToken, makeClient } from '../auth/helpers.js'
import { tempFiles } from '../helpers/temp-files.js'

const CONTRACT = `
openapi: 3.0.3
info: { title: Versions, version: '1' }
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
security: [{ bearer: [] }]
paths:
  /v3/things/{id}:
    get:
      operationId: things_v3
      deprecated: true
      x-sandbox-deprecated-at: '2026-03-01T00:00:00Z'
      x-sandbox-sunset: '2027-01-01T00:00:00Z'
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: object, properties: { name: { type: string } } } } } }
  /v4/things/{id}:
    get:
      operationId: things_v4
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: object, properties: { name: { type: string } } } } } }
  /v1/old:
    get:
      operationId: old_alone
      deprecated: true
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: object } } } }
`

const sandboxes: Sandbox[] = []
afterAll(() => Promise.all(sandboxes.map((s) => s.close())))

async function start(enforceSunset: boolean, now: () => number) {
  const dir = tempFiles({ 'c.yaml': CONTRACT })
  const sandbox = await createSandbox({
    contract: `${dir}/c.yaml`,
    adminToken: ADMIN,
    rateLimits: 'off',
    enforceSunset,
    now,
    log: () => undefined,
  })
  sandboxes.push(sandbox)
  const client = await makeClient(sandbox.app, { privileges: [] })
  const token = await getToken(sandbox.app, client)
  const get = (path: string) =>
    request(sandbox.app).get(path).set('authorization', `Bearer ${token}`)
  return { sandbox, client, get }
}

describe('deprecated operations', () => {
  it('answer with Deprecation, Sunset and the successor link; the successor has none', async () => {
    const { get } = await start(false, () => Date.parse('2026-06-01T00:00:00Z'))
    const old = await get('/v3/things/a')
    expect(old.status).toBe(200)
    expect(old.headers.deprecation).toBe(`@${Date.parse('2026-03-01T00:00:00Z') / 1000}`)
    expect(old.headers.sunset).toBe('Fri, 01 Jan 2027 00:00:00 GMT')
    expect(old.headers.link).toBe('</v4/things/{id}>; rel="successor-version"')
    const current = await get('/v4/things/a')
    expect(current.headers.deprecation).toBeUndefined()
    const alone = await get('/v1/old')
    expect(alone.headers.deprecation).toBe(`@${Date.UTC(2026, 0, 1) / 1000}`)
    expect(alone.headers.sunset).toBeUndefined()
  })

  it('answer 410 after the sunset on the client clock, when the operator says so', async () => {
    const real = Date.parse('2026-12-31T23:00:00Z')
    const { sandbox, client, get } = await start(true, () => real)
    expect((await get('/v3/things/a')).status).toBe(200)
    const moved = await request(sandbox.app)
      .post('/__sandbox/clock')
      .set('authorization', `Bearer ${ADMIN}`)
      .send({ client_id: client.clientId, advance: '1h' })
    expect(moved.status).toBe(200)
    const token = await getToken(sandbox.app, client)
    const gone = await request(sandbox.app)
      .get('/v3/things/a')
      .set('authorization', `Bearer ${token}`)
    expect(gone.status).toBe(410)
    expect(JSON.stringify(gone.body)).toContain('/v4/things/{id}')
    expect(gone.headers.sunset).toBe('Fri, 01 Jan 2027 00:00:00 GMT')
    const report = await request(sandbox.app)
      .get(`/__sandbox/report?client=${client.clientId}`)
      .set('authorization', `Bearer ${ADMIN}`)
    const check = (report.body.checks as Array<{ id: string; status: string }>).find(
      (c) => c.id === 'deprecated',
    )!
    expect(check.status).toBe('fail')
    // Another client, whose clock was not moved, still gets an answer.
    const other = await makeClient(sandbox.app, { privileges: [] })
    const otherToken = await getToken(sandbox.app, other)
    expect(
      (await request(sandbox.app).get('/v3/things/a').set('authorization', `Bearer ${otherToken}`))
        .status,
    ).toBe(200)
  })

  it('keep answering after the sunset when the operator does not enforce it', async () => {
    const { get } = await start(false, () => Date.parse('2027-02-01T00:00:00Z'))
    expect((await get('/v3/things/a')).status).toBe(200)
  })

  it('are reported by the verdict with their successor', async () => {
    const { sandbox, client, get } = await start(false, () => Date.parse('2026-06-01T00:00:00Z'))
    await get('/v3/things/a')
    await get('/v3/things/b')
    await get('/v4/things/a')
    const report = await request(sandbox.app)
      .get(`/__sandbox/report?client=${client.clientId}`)
      .set('authorization', `Bearer ${ADMIN}`)
    const check = (
      report.body.checks as Array<{ id: string; status: string; evidence: Array<{ note: string }> }>
    ).find((c) => c.id === 'deprecated')!
    expect(check.status).toBe('pass')
    expect(check.evidence.map((e) => e.note)).toEqual([
      'things_v3 is deprecated: use GET /v4/things/{id} (2 calls)',
    ])
  })
})
