import express from 'express'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthEvent } from '../../mock/auth/auth-events.js'
import type { Sandbox } from '../../mock/create-sandbox.js'
import type { Exchange } from '../../mock/http/exchange.js'
import { assemblePipeline, createApiHandler } from '../../mock/pipeline.js'
import {
  authSandbox,
  basicAuth,
  callApi,
  firstError,
  getToken,
  INSEE_PATH,
  makeClient,
  TRACE,
  type MadeClient,
} from './helpers.js'

describe('Basic authentication on API calls', () => {
  let sandbox: Sandbox
  let allowed: MadeClient
  let refused: MadeClient
  beforeAll(async () => {
    sandbox = await authSandbox()
    allowed = await makeClient(sandbox.app, { basic_auth: true })
    refused = await makeClient(sandbox.app, { basic_auth: false })
  })
  afterAll(() => sandbox.close())
  const basicCall = (c: MadeClient, secret = c.clientSecret) =>
    request(sandbox.app)
      .get(INSEE_PATH)
      .query(TRACE)
      .set('authorization', basicAuth(c.clientId, secret))

  it('serves a client allowed to use Basic, with a warning header', async () => {
    const res = await basicCall(allowed)
    expect(res.status).toBe(200)
    expect(res.headers['sandbox-warning']).toMatch(/^basic-auth-not-recommended: /)
    const privileges = await request(sandbox.app)
      .get('/privileges')
      .set('authorization', basicAuth(allowed.clientId, allowed.clientSecret))
    expect(privileges.status).toBe(200)
    expect(privileges.body).toEqual({ privileges: ['unites_legales_etablissements_insee'] })
  })

  it('does not warn bearer-token calls', async () => {
    const res = await callApi(sandbox.app, INSEE_PATH, await getToken(sandbox.app, allowed))
    expect(res.status).toBe(200)
    expect(res.headers['sandbox-warning']).toBeUndefined()
  })

  it('answers 401 00101 to Basic from a client not allowed to use it', async () => {
    const res = await basicCall(refused)
    expect(res.status).toBe(401)
    expect(firstError(res.body).code).toBe('00101')
    expect(res.headers['www-authenticate']).toContain('may not use Basic')
  })

  it('counts wrong Basic secrets towards the lockout, then answers 429 00429 with Retry-After', async () => {
    const c = await makeClient(sandbox.app, { basic_auth: true })
    for (let i = 0; i < 5; i++) expect((await basicCall(c, 'Wrong-Secret-1!')).status).toBe(401)
    const res = await basicCall(c)
    expect(res.status).toBe(429)
    expect(firstError(res.body).code).toBe('00429')
    expect(Number(res.headers['retry-after'])).toBe(900)
  })

  it('answers 401 00101 to undecodable Basic credentials', async () => {
    const res = await request(sandbox.app)
      .get(INSEE_PATH)
      .query(TRACE)
      .set('authorization', 'Basic ***')
    expect(res.status).toBe(401)
    expect(firstError(res.body).code).toBe('00101')
  })
})

describe('no CORS', () => {
  let sandbox: Sandbox
  let client: MadeClient
  let app: express.Express
  const seen: Exchange[] = []
  beforeAll(async () => {
    sandbox = await authSandbox()
    client = await makeClient(sandbox.app)
    const pipeline = assemblePipeline(sandbox.context)
    pipeline.response.push((ex) => void seen.push(ex))
    const handle = createApiHandler(sandbox.context, pipeline)
    app = express()
    app.use((req, res) => void handle(req, res))
  })
  afterAll(() => sandbox.close())
  const corsHeaders = (headers: Record<string, string>) =>
    Object.keys(headers).filter((h) => h.startsWith('access-control-'))

  it('answers a call carrying Origin without any CORS grant, and flags it for the journal', async () => {
    const token = await getToken(sandbox.app, client)
    seen.length = 0
    const res = await request(app)
      .get(INSEE_PATH)
      .query(TRACE)
      .set('origin', 'https://front.example')
      .set('authorization', `Bearer ${token}`)
    expect(res.status).toBe(200)
    expect(corsHeaders(res.headers)).toEqual([])
    expect(seen[0]!.notes.origin).toBe('https://front.example')
  })

  it('gives a preflight no CORS grant', async () => {
    const res = await request(sandbox.app)
      .options(INSEE_PATH)
      .set('origin', 'https://front.example')
      .set('access-control-request-method', 'GET')
      .set('access-control-request-headers', 'authorization')
    expect(corsHeaders(res.headers)).toEqual([])
    expect(res.status).toBe(204)
  })

  it('grants no CORS on the token endpoint and journals the origin of a token request', async () => {
    const events: AuthEvent[] = []
    const off = sandbox.context.auth.events.on('token', (e) => void events.push(e))
    const res = await request(sandbox.app)
      .post('/oauth/token')
      .set('origin', 'https://front.example')
      .set('authorization', basicAuth(client.clientId, client.clientSecret))
      .type('form')
      .send('grant_type=client_credentials')
    off()
    expect(res.status).toBe(200)
    expect(corsHeaders(res.headers)).toEqual([])
    expect(events[0]).toMatchObject({ type: 'token', origin: 'https://front.example' })
    const preflight = await request(sandbox.app)
      .options('/oauth/token')
      .set('origin', 'https://front.example')
      .set('access-control-request-method', 'POST')
    // The token endpoint takes POST only: a preflight is a method it refuses, and no grant comes with it.
    expect(preflight.status).toBe(405)
    expect(preflight.headers.allow).toBe('POST')
    expect(corsHeaders(preflight.headers)).toEqual([])
    const jwks = await request(sandbox.app)
      .get('/.well-known/jwks.json')
      .set('origin', 'https://front.example')
    expect(jwks.status).toBe(200)
    expect((jwks.body.keys as Array<{ kty: string }>).map((k) => k.kty)).toContain('EC')
    expect(corsHeaders(jwks.headers)).toEqual([])
  })
})
