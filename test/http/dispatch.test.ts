import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import express from 'express'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { createSandbox } from '../../mock/create-sandbox.js'
import { apiPath, isHealthProbe, servedByExpress } from '../../mock/http/dispatch.js'
import { MINI_CONTRACT } from '../contract/mini-contract.js'
import { tempFiles } from '../helpers/temp-files.js'

const contract = join(tempFiles({ 'c.yaml': MINI_CONTRACT }), 'c.yaml')
/** A plain mock of the mini contract, silent. */
const OPTIONS = {
  contract,
  state: 'memory',
  auth: false,
  rateLimits: 'off',
  adminToken: 'dispatch-admin-token-0123456789abcdef',
  log: () => undefined,
} as const
const sandbox = await createSandbox(OPTIONS)
afterAll(() => sandbox.close())

describe('dispatch between the API and express', () => {
  it('sends the admin surface, the console and the OAuth endpoints to express, as express matches them', () => {
    for (const url of [
      '/__sandbox',
      '/__sandbox/health',
      '/__SANDBOX/clients?x=1',
      '/console',
      '/console/',
      '/Console/reference?q=siren',
      '/oauth/token',
      '/OAuth/Token/',
      '/oauth/revoke',
      '/oauth/introspect?x',
      '/.well-known/jwks.json',
      '/.well-known/oauth-authorization-server',
    ])
      expect([url, servedByExpress(url)]).toEqual([url, true])
    for (const url of [
      '/',
      '/v3/unites_legales/418166096',
      '/consoles',
      '/__sandboxes/health',
      '/oauth/tokens',
      '/oauth/token//',
      '//__sandbox/health',
      '/.well-known/other',
      '/v3/console',
    ])
      expect([url, servedByExpress(url)]).toEqual([url, false])
  })

  it('reads API paths as the pipeline does: no query, repeated slashes made one', () => {
    expect(apiPath('/v3//items?x=//y')).toBe('/v3/items')
    expect(apiPath('/v3/items')).toBe('/v3/items')
  })

  it('reads a JSON body only for an operation that declares one', async () => {
    const declared = await request(sandbox.app)
      .post('/v3/items')
      .set('content-type', 'application/json')
      .send('{"name": ')
    expect(declared.status).toBe(400)
    expect(declared.body.errors[0].detail).toMatch(/^Corps de requête illisible/)
    // The same bytes sent to an operation without a body are not read, so they cannot be refused.
    const undeclared = await request(sandbox.app)
      .delete('/v3/unites_legales/418166096')
      .set('content-type', 'application/json')
      .send('{"name": ')
    expect(undeclared.status).toBe(204)
    const valid = await request(sandbox.app)
      .post('/v3/items')
      .set('content-type', 'application/json')
      .send({ name: 'ok' })
    expect(valid.status).toBe(201)
  })

  it('serves both ways when mounted in another express app', async () => {
    const host = express()
    host.use('/twin', sandbox.app)
    host.get('/mine', (_req, res) => void res.send('host'))
    const api = await request(host).get('/twin/v3/unites_legales/diffusibles/418166096')
    expect(api.status).toBe(200)
    const health = await request(host).get('/twin/__sandbox/health')
    expect(health.status).toBe(200)
    expect((await request(host).get('/mine')).text).toBe('host')
  })

  it('answers the requests that arrive together while the admin surface and the body parser load', async () => {
    const fresh = await createSandbox(OPTIONS)
    try {
      const answers = await Promise.all([
        request(fresh.app).get('/__sandbox/health'),
        request(fresh.app).get('/__sandbox/health'),
        request(fresh.app).get('/.well-known/oauth-authorization-server'),
        request(fresh.app).post('/v3/items').send({ name: 'one' }),
        request(fresh.app).post('/v3/items').send({ name: 'two' }),
        request(fresh.app).get('/v3/unites_legales/diffusibles/418166096'),
      ])
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 201, 201, 200])
    } finally {
      await fresh.close()
    }
  })

  it('answers a health probe itself, as the admin surface would, and leaves one with an admin token to it', async () => {
    const ADMIN = { 'x-sandbox-admin-token': OPTIONS.adminToken }
    const viaExpress = await request(sandbox.app).get('/__sandbox/health').set(ADMIN)
    expect(viaExpress.status).toBe(200)
    for (const url of ['/__sandbox/health', '/__SANDBOX/Health/', '/__sandbox/health?probe=1']) {
      const probe = { url, method: 'GET', headers: {} } as IncomingMessage
      expect([url, isHealthProbe(probe)]).toEqual([url, true])
      const res = await request(sandbox.app).get(url)
      expect(res.status).toBe(200)
      expect(res.headers['content-type']).toBe(viaExpress.headers['content-type'])
      expect({ ...(res.body as object), uptime: 0 }).toEqual({
        ...(viaExpress.body as object),
        uptime: 0,
      })
    }
    const head = await request(sandbox.app).head('/__sandbox/health')
    expect([head.status, head.text]).toEqual([200, undefined])
    expect(head.headers['content-length']).toBe(viaExpress.headers['content-length'])
    for (const [url, method, headers] of [
      ['/__sandbox/health', 'GET', ADMIN],
      ['/__sandbox/health', 'GET', { authorization: 'Bearer x' }],
      ['/__sandbox/health', 'POST', {}],
      ['/__sandbox/healthz', 'GET', {}],
      ['/__sandbox/health/x', 'GET', {}],
    ] as const)
      expect(isHealthProbe({ url, method, headers } as unknown as IncomingMessage)).toBe(false)
  })
})
