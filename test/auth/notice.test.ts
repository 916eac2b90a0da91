import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import { authSandbox, basicAuth, getToken, makeClient } from './helpers.js'

const DAY = 86_400_000

/** An HTTP date (RFC 9110 IMF-fixdate), as `Date.prototype.toUTCString` writes it. */
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/

describe('advance notice of a secret expiry', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await authSandbox()
  })
  afterAll(() => sandbox.close())

  it('announces a secret expiring within 14 days on token and API responses', async () => {
    const expiry = new Date(Date.now() + 10 * DAY)
    const c = await makeClient(sandbox.app, {
      privileges: ['open_data'],
      secret_expires_at: expiry.toISOString(),
    })
    const token = await request(sandbox.app)
      .post('/oauth/token')
      .set('authorization', basicAuth(c.clientId, c.clientSecret))
      .type('form')
      .send('grant_type=client_credentials')
    expect(token.status).toBe(200)
    expect(token.headers['sandbox-secret-expires']).toBe(expiry.toUTCString())
    const api = await request(sandbox.app)
      .get('/privileges')
      .set('authorization', `Bearer ${token.body.access_token}`)
    expect(api.status).toBe(200)
    expect(api.headers['sandbox-secret-expires']).toBe(expiry.toUTCString())
  })

  it('stays silent while the expiry is further away, and speaks once the client clock nears it', async () => {
    const c = await makeClient(sandbox.app, { privileges: ['open_data'] })
    const token = await getToken(sandbox.app, c)
    const quiet = await request(sandbox.app)
      .get('/privileges')
      .set('authorization', `Bearer ${token}`)
    expect(quiet.headers['sandbox-secret-expires']).toBeUndefined()
    await sandbox.context.clock.advance(c.clientId, 352 * DAY)
    const later = await request(sandbox.app)
      .get('/privileges')
      .set('authorization', `Bearer ${await getToken(sandbox.app, c)}`)
    expect(later.headers['sandbox-secret-expires']).toMatch(HTTP_DATE)
  })

  it('stops announcing once the secret has been rotated', async () => {
    const c = await makeClient(sandbox.app, {
      privileges: ['open_data'],
      secret_expires_at: new Date(Date.now() + 3 * DAY).toISOString(),
    })
    const res = await request(sandbox.app)
      .post(`/__sandbox/clients/${c.clientId}/secret`)
      .set('authorization', basicAuth(c.clientId, c.clientSecret))
      .send({})
    const token = await getToken(sandbox.app, {
      clientId: c.clientId,
      clientSecret: res.body.client_secret,
    })
    const api = await request(sandbox.app)
      .get('/privileges')
      .set('authorization', `Bearer ${token}`)
    expect(api.headers['sandbox-secret-expires']).toBeUndefined()
  })

  it('takes its notice period from tokens.secretExpiryNoticeDays', async () => {
    const wide = await authSandbox({ tokens: { secretExpiryNoticeDays: 30 } })
    const expiry = new Date(Math.floor((Date.now() + 20 * DAY) / 1000) * 1000)
    const c = await makeClient(wide.app, {
      privileges: ['open_data'],
      secret_expires_at: expiry.toISOString(),
    })
    const token = await request(wide.app)
      .post('/oauth/token')
      .set('authorization', basicAuth(c.clientId, c.clientSecret))
      .type('form')
      .send('grant_type=client_credentials')
    expect(token.headers['sandbox-secret-expires']).toBe(expiry.toUTCString())
    await wide.close()
  })
})
