import { join } from 'node:path'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { SandboxConfigError } from '../../mock/errors.js'
import {
  ADMIN,
  firstError,
  getToken,
  makeClient,
  SIREN,
  TRACE,
  INSEE_PATH,
} from '../auth/helpers.js'
import { api, declaration, DECLARATIONS, DOUANE } from '../resources/harness.js'
import { tempFiles } from '../helpers/temp-files.js'

const INSEE = 'unites_legales_etablissements_insee'
const EDI = 'declarations_edi'
const insee = (token: string) =>
  request(sandbox.app).get(INSEE_PATH).query(TRACE).set('authorization', `Bearer ${token}`)

let sandbox: Sandbox
beforeAll(async () => {
  // The bundled API-Entreprise-shaped contract, with the Douane-shaped one beside it.
  sandbox = await createSandbox({
    apis: [DOUANE],
    state: 'memory',
    adminToken: ADMIN,
    seed: 3,
    log: () => undefined,
  })
})
afterAll(() => sandbox.close())

describe('several APIs behind one authorization server', () => {
  it('serves both contracts with one token, entitled to both', async () => {
    const client = await makeClient(sandbox.app, { privileges: [INSEE, EDI] })
    const token = await getToken(sandbox.app, client)
    const read = await insee(token)
    expect(read.status).toBe(200)
    expect(read.headers['ratelimit-limit']).toBe('250') // the json group of the bundled rate table
    const created = await api(sandbox.app, token).post(DECLARATIONS, declaration())
    expect(created.status).toBe(201)
    const id = created.body.id_declaration as string
    expect((await api(sandbox.app, token).get(`${DECLARATIONS}/${id}`)).body).toEqual(created.body)
    // Each answer in its own API's shape: API Entreprise's errors beside the Douane's.
    const missing = await api(sandbox.app, token).get(
      `${DECLARATIONS}/00000000-0000-4000-8000-000000000000`,
    )
    expect(missing.status).toBe(404)
    expect(firstError(missing.body).code).toBe('EDI-404')
  })

  it('enforces privileges per API: a token entitled to one API only is refused by the other', async () => {
    const client = await makeClient(sandbox.app, { privileges: [INSEE] })
    const token = await getToken(sandbox.app, client)
    expect((await insee(token)).status).toBe(200)
    const refused = await api(sandbox.app, token).post(DECLARATIONS, declaration())
    expect(refused.status).toBe(403)
    // The refusal is in the Douane API's own words, not API Entreprise's.
    expect(firstError(refused.body).title).toBe('Non habilité')
  })

  it('journals the API of each call and counts each API against its own rate table', async () => {
    const client = await makeClient(sandbox.app, { privileges: [INSEE, EDI] })
    const token = await getToken(sandbox.app, client)
    await insee(token)
    await api(sandbox.app, token).post(DECLARATIONS, declaration())
    const journal = await request(sandbox.app)
      .get('/__sandbox/journal')
      .query({ client: client.clientId, kind: 'api' })
      .set('authorization', `Bearer ${ADMIN}`)
    const entries = journal.body.entries as Array<Record<string, unknown>>
    const byApi = Object.fromEntries(entries.map((e) => [e.api, e]))
    expect(Object.keys(byApi).sort()).toEqual(['api-entreprise', 'douane-edi'].sort())
    expect(byApi['douane-edi']!.operation).toBe('douane_edi_deposer_declaration')
    expect(byApi['douane-edi']!.rate_group).toMatch(/^douane-edi\//)
    expect(byApi['api-entreprise']!.rate_group).not.toMatch(/\//)
    const only = await request(sandbox.app)
      .get('/__sandbox/journal')
      .query({ client: client.clientId, api: 'douane-edi' })
      .set('authorization', `Bearer ${ADMIN}`)
    expect((only.body.entries as unknown[]).length).toBe(1)
  })

  it('gives one verdict over every API, naming them', async () => {
    const client = await makeClient(sandbox.app, { privileges: [INSEE, EDI] })
    const token = await getToken(sandbox.app, client)
    await insee(token)
    await api(sandbox.app, token).post(DECLARATIONS, declaration())
    const report = await request(sandbox.app)
      .get('/__sandbox/report')
      .query({ client_id: client.clientId })
      .set('authorization', `Bearer ${ADMIN}`)
    expect(report.status).toBe(200)
    expect(report.body.apis.map((a: { name: string }) => a.name)).toEqual([
      'api-entreprise',
      'douane-edi',
    ])
    const used = report.body.minimisation.operations.map((o: { operation: string }) => o.operation)
    expect(used).toContain('douane-edi/douane_edi_deposer_declaration')
    // The call-back checks apply: one of the APIs calls back.
    expect(report.body.checks.map((c: { id: string }) => c.id)).toContain('callback-answers')
  })

  it('answers a path under no API with the sandbox 404 listing where each API is mounted', async () => {
    const client = await makeClient(sandbox.app, { privileges: [INSEE, EDI] })
    const token = await getToken(sandbox.app, client)
    const nowhere = await api(sandbox.app, token).get('/nowhere/v1/things')
    expect(nowhere.status).toBe(404)
    expect(nowhere.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(nowhere.body).toMatchObject({ status: 404, code: 'not-found' })
    expect(nowhere.body.detail).toContain('GET /nowhere/v1/things')
    expect(nowhere.body.apis).toEqual([
      { name: 'api-entreprise', prefix: '', paths: ['/privileges', '/v3', '/v4'] },
      { name: 'douane-edi', prefix: '', paths: ['/edi'] },
    ])
    // Under one API's paths, an answer in that API's error shape, not the sandbox's.
    const edi = await api(sandbox.app, token).get('/edi/v2/unknown')
    expect(edi.status).toBe(404)
    expect(firstError(edi.body).title).toBe('Route inconnue')
    const wrongMethod = await api(sandbox.app, token).get(
      `${DECLARATIONS}/00000000-0000-4000-8000-000000000000/annulation`,
    )
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.allow).toContain('POST')
    expect(firstError(wrongMethod.body).detail).toMatch(/Méthode GET non autorisée/)
  })

  it("answers a path under one API's paths in that API's own error shape", async () => {
    const dir = tempFiles({
      'tickets.yaml': [
        'openapi: 3.0.3',
        "info: {title: Tickets, version: '1'}",
        'paths:',
        '  /tickets/{id}:',
        '    get:',
        '      operationId: get_ticket',
        '      parameters: [{name: id, in: path, required: true, schema: {type: string}}]',
        '      responses:',
        "        '200': {description: A ticket, content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}}",
        "        '404': {description: No such ticket, content: {application/json: {schema: {type: object, required: [message, status], properties: {message: {type: string}, status: {type: integer}}}}}}",
        '',
      ].join('\n'),
    })
    const s = await createSandbox({
      apis: [join(dir, 'tickets.yaml')],
      state: 'memory',
      adminToken: ADMIN,
      log: () => undefined,
    })
    try {
      const ticket = await request(s.app).get('/tickets/1/comments')
      expect(ticket.status).toBe(404)
      expect(ticket.body).toEqual({
        message: 'No operation of the contract matches GET /tickets/1/comments',
        status: 404,
      })
      const entreprise = await request(s.app).get('/v4/unknown')
      expect(entreprise.status).toBe(404)
      expect(firstError(entreprise.body).code).toBe('00404')
      const nowhere = await request(s.app).get('/nowhere')
      expect(nowhere.body.apis.map((a: { name: string }) => a.name)).toEqual([
        'api-entreprise',
        'tickets',
      ])
    } finally {
      await s.close()
    }
  })

  it('keeps one fictitious world: the company behind a SIREN is the same in each API', async () => {
    const client = await makeClient(sandbox.app, { privileges: [INSEE, EDI] })
    const token = await getToken(sandbox.app, client)
    const alone = await createSandbox({
      state: 'memory',
      adminToken: ADMIN,
      seed: 3,
      log: () => undefined,
    })
    try {
      const other = await makeClient(alone.app, { privileges: [INSEE] })
      const single = await request(alone.app)
        .get(INSEE_PATH)
        .query(TRACE)
        .set('authorization', `Bearer ${await getToken(alone.app, other)}`)
      expect((await insee(token)).body).toEqual(single.body)
      expect(JSON.stringify(single.body)).toContain(SIREN)
    } finally {
      await alone.close()
    }
  })
})

describe('configuring several APIs', () => {
  it('mounts an API under a prefix named in an APIs file, with its own privileges and rate table', async () => {
    const dir = tempFiles({
      'rates.yaml': 'window: 60s\ngroups:\n  edi: 2\ndefault_group: edi\n',
      'apis.yaml': `apis:\n  - contract: ${DOUANE}\n    name: edi\n    prefix: /douane\n    rate_limits: rates.yaml\n`,
    })
    const file = join(dir, 'apis.yaml')
    const s = await createSandbox({
      apis: file,
      state: 'memory',
      adminToken: ADMIN,
      log: () => undefined,
    })
    try {
      const client = await makeClient(s.app, { privileges: [EDI] })
      const token = await getToken(s.app, client)
      const path = `/douane${DECLARATIONS}`
      const created = await api(s.app, token).post(path, declaration())
      expect(created.status).toBe(201)
      expect(created.headers.location).toMatch(new RegExp(`^${path}/`))
      expect(created.headers['ratelimit-limit']).toBe('2')
      // Not served outside its prefix; under the prefix, a path of none of its operations is
      // answered in its own shape.
      const outside = await api(s.app, token).post(DECLARATIONS, declaration())
      expect(outside.status).toBe(404)
      expect(outside.body.apis).toEqual([
        { name: 'api-entreprise', prefix: '', paths: ['/privileges', '/v3', '/v4'] },
        { name: 'edi', prefix: '/douane', paths: ['/douane'] },
      ])
      const inside = await api(s.app, token).get('/douane/nothing')
      expect(inside.status).toBe(404)
      expect(firstError(inside.body).title).toBe('Route inconnue')
      const second = await api(s.app, token).post(path, declaration())
      expect(second.status).toBe(201)
      const third = await api(s.app, token).post(path, declaration())
      expect(third.status).toBe(429)
    } finally {
      await s.close()
    }
  })

  it('refuses two APIs that answer the same path, saying to give one a prefix', async () => {
    const err = await createSandbox({
      contract: DOUANE,
      apis: [DOUANE],
      state: 'memory',
      log: () => undefined,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SandboxConfigError)
    expect((err as Error).message).toMatch(/two APIs are named "douane-edi"/)
    const clash = await createSandbox({
      contract: DOUANE,
      apis: [{ contract: DOUANE, name: 'again' }],
      state: 'memory',
      log: () => undefined,
    }).catch((e: unknown) => e)
    expect((clash as Error).message).toMatch(
      /"douane-edi" and "again" both answer GET \/edi\/v1\/declarations.*prefix/,
    )
  })

  it('names the entry at fault in an APIs file', async () => {
    const file = join(
      tempFiles({ 'apis.yaml': `apis:\n  - contract: ${DOUANE}\n    mount: /x\n` }),
      'apis.yaml',
    )
    const err = await createSandbox({ apis: file, state: 'memory', log: () => undefined }).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(SandboxConfigError)
    expect((err as Error).message).toMatch(/line 2: unknown key "mount"; an entry has contract/)
    const other = join(
      tempFiles({ 'apis.yaml': `apis:\n  - contract: ${DOUANE}\n    prefix: douane\n` }),
      'apis.yaml',
    )
    const bad = await createSandbox({ apis: other, state: 'memory', log: () => undefined }).catch(
      (e: unknown) => e,
    )
    expect((bad as Error).message).toMatch(/prefix "douane" is not a path prefix/)
  })
})
