import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import {
  ADMIN,
  authSandbox,
  basicAuth,
  firstError,
  getToken,
  makeClient,
  type MadeClient,
} from './helpers.js'

describe('revocation, introspection and secret rotation', () => {
  let sandbox: Sandbox
  let client: MadeClient
  let other: MadeClient
  beforeAll(async () => {
    sandbox = await authSandbox()
    client = await makeClient(sandbox.app, { privileges: ['open_data'] })
    other = await makeClient(sandbox.app, { privileges: ['open_data'] })
  })
  afterAll(() => sandbox.close())
  const as = (c: MadeClient, path: string) =>
    request(sandbox.app)
      .post(path)
      .set('authorization', basicAuth(c.clientId, c.clientSecret))
      .type('form')
  const privileges = (token: string) =>
    request(sandbox.app).get('/privileges').set('authorization', `Bearer ${token}`)

  it('revokes a token of the calling client (RFC 7009)', async () => {
    const token = await getToken(sandbox.app, client)
    const res = await as(client, '/oauth/revoke').send({ token, token_type_hint: 'access_token' })
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(firstError((await privileges(token)).body).code).toBe('00105')
  })

  it('answers 200 to the revocation of an invalid token, as RFC 7009 asks', async () => {
    expect((await as(client, '/oauth/revoke').send({ token: 'not-a-token' })).status).toBe(200)
  })

  it('refuses to revoke another client token', async () => {
    const theirs = await getToken(sandbox.app, other)
    const res = await as(client, '/oauth/revoke').send({ token: theirs })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
    expect((await privileges(theirs)).status).toBe(200)
  })

  it('needs client authentication and a token parameter to revoke', async () => {
    expect(
      (await request(sandbox.app).post('/oauth/revoke').type('form').send({ token: 'x' })).status,
    ).toBe(401)
    expect((await as(client, '/oauth/revoke').send({})).body.error).toBe('invalid_request')
  })

  it('introspects an active token without consuming it (RFC 7662)', async () => {
    const token = await getToken(sandbox.app, client, { single_use: 'true' })
    const res = await as(client, '/oauth/introspect').send({ token })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      active: true,
      scope: 'open_data',
      client_id: client.clientId,
      sub: client.clientId,
      token_type: 'Bearer',
      single_use: true,
      aud: 'sandbox-twin',
    })
    expect(res.body.exp - res.body.iat).toBe(300)
    expect((await privileges(token)).status).toBe(200)
    expect((await as(client, '/oauth/introspect').send({ token })).body).toEqual({ active: false })
  })

  it('reports expired, revoked, foreign and bogus tokens inactive', async () => {
    const c = await makeClient(sandbox.app, { privileges: ['open_data'] })
    const expiring = await getToken(sandbox.app, c)
    await sandbox.context.clock.advance(c.clientId, 301_000)
    expect((await as(c, '/oauth/introspect').send({ token: expiring })).body).toEqual({
      active: false,
    })
    const theirs = await getToken(sandbox.app, other)
    expect((await as(client, '/oauth/introspect').send({ token: theirs })).body).toEqual({
      active: false,
    })
    expect((await as(client, '/oauth/introspect').send({ token: 'a.b.c' })).body).toEqual({
      active: false,
    })
  })

  it('lets a client revoke its own secret: the secret and every live token stop working at once', async () => {
    const c = await makeClient(sandbox.app, { privileges: ['open_data'] })
    const tokens = [await getToken(sandbox.app, c), await getToken(sandbox.app, c)]
    const res = await request(sandbox.app)
      .delete(`/__sandbox/clients/${c.clientId}/secret`)
      .set('authorization', basicAuth(c.clientId, c.clientSecret))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ client_id: c.clientId, secret_revoked: true, tokens_revoked: 2 })
    for (const t of tokens) expect(firstError((await privileges(t)).body).code).toBe('00105')
    expect((await as(c, '/oauth/token').send({ grant_type: 'client_credentials' })).status).toBe(
      401,
    )
    // Only the admin can give it a new secret now.
    const renewed = await request(sandbox.app)
      .post(`/__sandbox/clients/${c.clientId}/secret`)
      .set('authorization', `Bearer ${ADMIN}`)
      .send({})
    expect(renewed.status).toBe(200)
    await expect(
      getToken(sandbox.app, { clientId: c.clientId, clientSecret: renewed.body.client_secret }),
    ).resolves.toMatch(/^ey/)
  })

  it('rotates a secret with an overlap during which both secrets work', async () => {
    const c = await makeClient(sandbox.app, { privileges: ['open_data'] })
    const liveToken = await getToken(sandbox.app, c)
    const sentAt = Date.now()
    const res = await request(sandbox.app)
      .post(`/__sandbox/clients/${c.clientId}/secret`)
      .set('authorization', basicAuth(c.clientId, c.clientSecret))
      .send({ overlap: 3600 })
    const answeredAt = Date.now()
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    const fresh = { clientId: c.clientId, clientSecret: res.body.client_secret as string }
    expect(fresh.clientSecret).not.toBe(c.clientSecret)
    // An hour from the rotation, which happened within the call's own span.
    const validUntil = Date.parse(res.body.previous_secret_valid_until)
    expect(validUntil).toBeGreaterThanOrEqual(sentAt + 3_600_000)
    expect(validUntil).toBeLessThanOrEqual(answeredAt + 3_600_000)
    await expect(getToken(sandbox.app, c)).resolves.toMatch(/^ey/)
    await expect(getToken(sandbox.app, fresh)).resolves.toMatch(/^ey/)
    expect((await privileges(liveToken)).status).toBe(200)
    await sandbox.context.clock.advance(c.clientId, 3_601_000)
    await expect(getToken(sandbox.app, c)).rejects.toThrow(/401/)
    await expect(getToken(sandbox.app, fresh)).resolves.toMatch(/^ey/)
  })

  it('rotates at once with overlap 0, and to a chosen secret that follows the rule', async () => {
    const c = await makeClient(sandbox.app, { privileges: ['open_data'] })
    const weak = await request(sandbox.app)
      .post(`/__sandbox/clients/${c.clientId}/secret`)
      .set('authorization', `Bearer ${ADMIN}`)
      .send({ new_client_secret: 'weak' })
    expect(weak.status).toBe(400)
    const res = await request(sandbox.app)
      .post(`/__sandbox/clients/${c.clientId}/secret`)
      .set('authorization', `Bearer ${ADMIN}`)
      .send({ new_client_secret: 'New-Secret-2030!', overlap: 0 })
    expect(res.status).toBe(200)
    expect(res.body).not.toHaveProperty('previous_secret_valid_until')
    await expect(getToken(sandbox.app, c)).rejects.toThrow(/401/)
    await expect(
      getToken(sandbox.app, { clientId: c.clientId, clientSecret: 'New-Secret-2030!' }),
    ).resolves.toMatch(/^ey/)
  })

  it('lets a client rotate only its own secret', async () => {
    const res = await request(sandbox.app)
      .post(`/__sandbox/clients/${other.clientId}/secret`)
      .set('authorization', basicAuth(client.clientId, client.clientSecret))
      .send({})
    expect(res.status).toBe(403)
  })
})
