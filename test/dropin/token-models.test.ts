import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeJwt } from 'jose'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import { MONTH } from '../../mock/options.js'
import {
  ADMIN,
  authSandbox,
  basicAuth,
  callApi,
  firstError,
  getToken,
  INSEE_PATH,
  makeClient,
  TRACE,
} from '../auth/helpers.js'
import { runCli, startCli } from '../helpers/cli.js'

const admin = (app: Sandbox['app'], method: 'get' | 'post' | 'patch' | 'delete', path: string) =>
  request(app)[method](path).set('authorization', `Bearer ${ADMIN}`)

const mint = (app: Sandbox['app'], clientId: string, body: Record<string, unknown> = {}) =>
  admin(app, 'post', `/__sandbox/clients/${clientId}/tokens`).send(body)

describe('advertised URLs follow the listening address', () => {
  it('listen(0) puts the real port in the metadata and in token iss', async () => {
    const sandbox = await authSandbox()
    try {
      const { url } = await sandbox.listen(0)
      expect(url).not.toContain(':8080')
      const meta = await request(url).get('/.well-known/oauth-authorization-server').expect(200)
      expect(meta.body.issuer).toBe(url)
      expect(meta.body.token_endpoint).toBe(`${url}/oauth/token`)
      expect(meta.body.jwks_uri).toBe(`${url}/.well-known/jwks.json`)
      const c = await makeClient(url)
      const token = await getToken(url, c)
      expect(decodeJwt(token).iss).toBe(url)
      expect((await callApi(url, INSEE_PATH, token)).status).toBe(200)
    } finally {
      await sandbox.close()
    }
  })

  it('keeps a configured public URL', async () => {
    const sandbox = await authSandbox({ publicUrl: 'https://sandbox.example.org/' })
    try {
      const { url } = await sandbox.listen(0)
      const meta = await request(url).get('/.well-known/oauth-authorization-server').expect(200)
      expect(meta.body.issuer).toBe('https://sandbox.example.org')
      expect(meta.body.token_endpoint).toBe('https://sandbox.example.org/oauth/token')
    } finally {
      await sandbox.close()
    }
  })
})

describe('portal tokens', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await authSandbox({ tokens: { portalMaxLifetime: 24 * MONTH } })
  })
  afterAll(() => sandbox.close())

  it('are minted by the admin for 18 months by default, shown once, and call the API', async () => {
    const c = await makeClient(sandbox.app)
    const res = await mint(sandbox.app, c.clientId, { label: 'ERP' }).expect(201)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.body.expires_in).toBe(18 * MONTH)
    expect(res.body.privileges).toEqual(['unites_legales_etablissements_insee'])
    const claims = decodeJwt(res.body.token as string)
    expect(claims).toMatchObject({
      jti: res.body.jti,
      sub: c.clientId,
      scopes: ['unites_legales_etablissements_insee'],
      portal: true,
    })
    expect(claims.exp! - claims.iat!).toBe(18 * MONTH)
    expect((await callApi(sandbox.app, INSEE_PATH, res.body.token)).status).toBe(200)
    // Listed by jti, never shown again.
    const listed = await admin(sandbox.app, 'get', `/__sandbox/clients/${c.clientId}/tokens`)
    expect(listed.status).toBe(200)
    expect(listed.body.tokens).toEqual([
      expect.objectContaining({ jti: res.body.jti, label: 'ERP', revoked: false }),
    ])
    expect(JSON.stringify(listed.body)).not.toContain(res.body.token)
  })

  it('take a chosen lifetime up to the configured maximum', async () => {
    const c = await makeClient(sandbox.app)
    const year = await mint(sandbox.app, c.clientId, { lifetime: '1y' }).expect(201)
    expect(year.body.expires_in).toBe(12 * MONTH)
    const long = await mint(sandbox.app, c.clientId, { lifetime: '30mo' }).expect(400)
    expect(long.body.detail).toMatch(/24 months/)
    await mint(sandbox.app, c.clientId, { lifetime: 'forever' }).expect(400)
    await mint(sandbox.app, c.clientId, { privileges: ['open_data'] }).expect(400)
    await mint(sandbox.app, 'nobody', {}).expect(404)
  })

  it('are revocable by jti: the API then answers 401 00105', async () => {
    const c = await makeClient(sandbox.app)
    const { body } = await mint(sandbox.app, c.clientId).expect(201)
    await request(sandbox.app)
      .delete(`/__sandbox/clients/${c.clientId}/tokens/${body.jti}`)
      .set('authorization', basicAuth(c.clientId, c.clientSecret))
      .expect(200)
    const refused = await callApi(sandbox.app, INSEE_PATH, body.token)
    expect(refused.status).toBe(401)
    expect(firstError(refused.body).code).toBe('00105')
    const listed = await admin(sandbox.app, 'get', `/__sandbox/clients/${c.clientId}/tokens`)
    expect(listed.body.tokens[0]).toMatchObject({ jti: body.jti, revoked: true })
    await admin(sandbox.app, 'delete', `/__sandbox/clients/${c.clientId}/tokens/nope`).expect(404)
  })

  it('are journaled like any token, by jti only', async () => {
    const c = await makeClient(sandbox.app)
    const { body } = await mint(sandbox.app, c.clientId).expect(201)
    let entries: Array<Record<string, unknown>> = []
    for (let i = 0; i < 50 && entries.length === 0; i++) {
      await new Promise((r) => setImmediate(r))
      const res = await admin(sandbox.app, 'get', '/__sandbox/journal').query({
        client: c.clientId,
        kind: 'token',
      })
      entries = res.body.entries as Array<Record<string, unknown>>
    }
    expect(entries).toEqual([
      expect.objectContaining({ jti: body.jti, notes: { model: 'portal_token' } }),
    ])
    expect(JSON.stringify(entries)).not.toContain(body.token)
  })

  it('survive a restart with a persistent store', async () => {
    const state = join(mkdtempSync(join(tmpdir(), 'portal-')), 'state.json')
    const first = await authSandbox({ state })
    const { url } = await first.listen(0)
    const c = await makeClient(url)
    const { body } = await mint(first.app, c.clientId).expect(201)
    await first.close()
    const second = await authSandbox({ state })
    try {
      // Another port after the restart: the token still names the issuer it was minted by.
      await second.listen(0)
      expect((await callApi(second.app, INSEE_PATH, body.token)).status).toBe(200)
      const listed = await admin(second.app, 'get', `/__sandbox/clients/${c.clientId}/tokens`)
      expect(listed.body.tokens.map((t: { jti: string }) => t.jti)).toEqual([body.jti])
    } finally {
      await second.close()
    }
  })
})

describe('auth_mode per client', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await authSandbox()
  })
  afterAll(() => sandbox.close())

  it('a portal-only client gets no OAuth token, but portal tokens', async () => {
    const c = await makeClient(sandbox.app, { auth_mode: ['portal_token'] })
    const oauth = await request(sandbox.app)
      .post('/oauth/token')
      .set('authorization', basicAuth(c.clientId, c.clientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials' })
    expect(oauth.status).toBe(400)
    expect(oauth.body.error).toBe('unauthorized_client')
    const { body } = await mint(sandbox.app, c.clientId).expect(201)
    expect((await callApi(sandbox.app, INSEE_PATH, body.token)).status).toBe(200)
  })

  it('an OAuth-only client gets no portal token; withdrawing a model withdraws its tokens', async () => {
    const c = await makeClient(sandbox.app, { auth_mode: 'oauth' })
    expect((await mint(sandbox.app, c.clientId)).status).toBe(409)
    const both = await makeClient(sandbox.app)
    const view = await admin(sandbox.app, 'get', `/__sandbox/clients/${both.clientId}`)
    expect(view.body.auth_mode).toEqual(['oauth', 'portal_token'])
    const { body } = await mint(sandbox.app, both.clientId).expect(201)
    await admin(sandbox.app, 'patch', `/__sandbox/clients/${both.clientId}`)
      .send({ auth_mode: ['oauth'] })
      .expect(200)
    const refused = await callApi(sandbox.app, INSEE_PATH, body.token)
    expect(refused.status).toBe(401)
    expect(refused.headers['www-authenticate']).toMatch(/auth_mode/)
  })

  it('Basic follows auth_mode, and basic_auth stays in step with it', async () => {
    const c = await makeClient(sandbox.app, { auth_mode: ['basic'] })
    const call = () =>
      request(sandbox.app)
        .get(INSEE_PATH)
        .query(TRACE)
        .set('authorization', basicAuth(c.clientId, c.clientSecret))
    expect((await call()).status).toBe(200)
    const off = await admin(sandbox.app, 'patch', `/__sandbox/clients/${c.clientId}`)
      .send({ basic_auth: false })
      .expect(200)
    expect(off.body.auth_mode).toEqual([])
    expect((await call()).status).toBe(401)
    await admin(sandbox.app, 'post', '/__sandbox/clients')
      .send({ auth_mode: ['carrier-pigeon'] })
      .expect(400)
  })
})

describe('sandbox-twin token', () => {
  it('prints a portal token from a running sandbox', async () => {
    const adminToken = 'cli-admin-token-0123456789abcdef'
    const running = await startCli(['--state', 'memory', '--admin-token', adminToken])
    try {
      const made = await request(running.url)
        .post('/__sandbox/clients')
        .set('authorization', `Bearer ${adminToken}`)
        .send({ privileges: ['unites_legales_etablissements_insee'] })
        .expect(201)
      const c = { clientId: made.body.client_id as string }
      const r = await runCli([
        'token',
        '--url',
        running.url,
        '--client',
        c.clientId,
        '--lifetime',
        '18mo',
        '--admin-token',
        adminToken,
      ])
      expect(r.code).toBe(0)
      const token = r.stdout.trim()
      expect(decodeJwt(token)).toMatchObject({ sub: c.clientId, iss: running.url, portal: true })
      expect(r.stderr).toMatch(/portal token .* expires/)
      expect((await callApi(running.url, INSEE_PATH, token)).status).toBe(200)
      const missing = await runCli(['token', '--url', running.url, '--client', 'nobody'])
      expect(missing.code).toBe(2)
    } finally {
      await running.stop()
    }
  })
})
