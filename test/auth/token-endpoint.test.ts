import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import { authSandbox, basicAuth, makeClient, type MadeClient } from './helpers.js'

describe('POST /oauth/token', () => {
  let sandbox: Sandbox
  let client: MadeClient
  beforeAll(async () => {
    sandbox = await authSandbox()
    client = await makeClient(sandbox.app, {
      privileges: ['open_data', 'unites_legales_etablissements_insee'],
    })
  })
  afterAll(() => sandbox.close())
  const token = () => request(sandbox.app).post('/oauth/token')
  const withBasic = () =>
    token().set('authorization', basicAuth(client.clientId, client.clientSecret)).type('form')

  it('issues a bearer token to client_secret_basic, not cacheable', async () => {
    const res = await withBasic().send('grant_type=client_credentials')
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers.pragma).toBe('no-cache')
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'open_data unites_legales_etablissements_insee',
    })
  })

  it('issues a token to client_secret_post', async () => {
    const res = await token().type('form').send({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'open_data unites_legales_etablissements_insee',
    })
  })

  it('narrows the token to a requested subset of the privileges', async () => {
    const res = await withBasic().send('grant_type=client_credentials&scope=open_data')
    expect(res.status).toBe(200)
    expect(res.body.scope).toBe('open_data')
  })

  it('answers invalid_scope for a scope outside the client privileges', async () => {
    const res = await withBasic().send(
      'grant_type=client_credentials&scope=open_data%20attestation_fiscale_dgfip',
    )
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_scope')
    expect(res.body.error_description).toContain('attestation_fiscale_dgfip')
  })

  it('answers unsupported_grant_type for another grant', async () => {
    const res = await withBasic().send('grant_type=password&username=a&password=b')
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('unsupported_grant_type')
  })

  it('answers invalid_request without grant_type', async () => {
    const res = await withBasic().send('scope=open_data')
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
  })

  it('answers invalid_client with 401 and WWW-Authenticate for a wrong secret', async () => {
    const res = await token()
      .set('authorization', basicAuth(client.clientId, 'Wrong-Secret-123'))
      .type('form')
      .send('grant_type=client_credentials')
    expect(res.status).toBe(401)
    expect(res.body.error).toBe('invalid_client')
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm="sandbox-twin"/)
    expect(res.headers['cache-control']).toBe('no-store')
  })

  it('answers invalid_client with 401 for an unknown client and for no credentials at all', async () => {
    const unknown = await token().type('form').send({
      grant_type: 'client_credentials',
      client_id: 'nobody',
      client_secret: 'Whatever-123!',
    })
    expect(unknown.status).toBe(401)
    expect(unknown.body.error).toBe('invalid_client')
    const none = await token().type('form').send('grant_type=client_credentials')
    expect(none.status).toBe(401)
    expect(none.body.error).toBe('invalid_client')
    expect(none.headers['www-authenticate']).toMatch(/^Basic realm="sandbox-twin"/)
  })

  it('answers invalid_request when two client authentication methods are used at once', async () => {
    const res = await withBasic().send({
      grant_type: 'client_credentials',
      client_secret: client.clientSecret,
    })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
  })

  it('answers invalid_grant when the right secret has expired', async () => {
    const past = new Date(Date.now() - 1000).toISOString()
    const expired = await makeClient(sandbox.app, { secret_expires_at: past })
    const res = await token()
      .set('authorization', basicAuth(expired.clientId, expired.clientSecret))
      .type('form')
      .send('grant_type=client_credentials')
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_grant')
    expect(res.body.error_description).toContain('expired')
  })

  it('answers invalid_request to a JSON body (a non-form body)', async () => {
    const res = await token()
      .set('authorization', basicAuth(client.clientId, client.clientSecret))
      .send({ grant_type: 'client_credentials' })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      error: 'invalid_request',
      error_description: expect.stringContaining('application/x-www-form-urlencoded'),
    })
  })

  it('answers invalid_request to a text or multipart body', async () => {
    for (const type of ['text/plain', 'multipart/form-data; boundary=x']) {
      const res = await token()
        .set('authorization', basicAuth(client.clientId, client.clientSecret))
        .set('content-type', type)
        .send('grant_type=client_credentials')
      expect(res.status, type).toBe(400)
      expect(res.body.error).toBe('invalid_request')
    }
  })

  it('answers invalid_request to a duplicate parameter', async () => {
    const res = await withBasic().send(
      'grant_type=client_credentials&scope=open_data&scope=unites_legales_etablissements_insee',
    )
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      error: 'invalid_request',
      error_description: 'parameter scope is repeated; send each parameter once',
    })
    const twice = await withBasic().send(
      'grant_type=client_credentials&grant_type=client_credentials',
    )
    expect(twice.body.error).toBe('invalid_request')
  })

  it('refuses parameters in the query string, where a secret would end up in logs', async () => {
    const res = await request(sandbox.app)
      .post(
        `/oauth/token?client_id=${client.clientId}&client_secret=${encodeURIComponent(client.clientSecret)}`,
      )
      .type('form')
      .send('grant_type=client_credentials')
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
  })

  it('answers 413 invalid_request to an oversized body, without a stack trace', async () => {
    const res = await withBasic().send(`grant_type=client_credentials&pad=${'x'.repeat(20_000)}`)
    expect(res.status).toBe(413)
    expect(res.body.error).toBe('invalid_request')
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js/)
  })

  it('answers 405 with Allow to a GET', async () => {
    const res = await request(sandbox.app).get('/oauth/token')
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe('POST')
  })

  it('never echoes the secret in an error', async () => {
    const res = await token()
      .type('form')
      .send({ grant_type: 'nope', client_id: client.clientId, client_secret: client.clientSecret })
    expect(JSON.stringify(res.body)).not.toContain(client.clientSecret)
    expect(res.status).toBe(400)
  })
})
