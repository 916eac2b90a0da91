import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthEvent } from '../../mock/auth/auth-events.js'
import type { Sandbox } from '../../mock/create-sandbox.js'
import { ADMIN, authSandbox, basicAuth, makeClient, type MadeClient } from './helpers.js'

describe('lockout after repeated failed client authentications', () => {
  let sandbox: Sandbox
  const events: AuthEvent[] = []
  beforeAll(async () => {
    sandbox = await authSandbox()
    sandbox.context.auth.events.on('*', (e) => void events.push(e))
  })
  afterAll(() => sandbox.close())
  const tokenAs = (c: MadeClient, secret = c.clientSecret) =>
    request(sandbox.app)
      .post('/oauth/token')
      .set('authorization', basicAuth(c.clientId, secret))
      .type('form')
      .send('grant_type=client_credentials')

  it('locks a client id for 15 minutes after five failures, even against the right secret', async () => {
    const c = await makeClient(sandbox.app)
    for (let i = 0; i < 5; i++) expect((await tokenAs(c, `Wrong-Secret-${i}!`)).status).toBe(401)
    const locked = await tokenAs(c)
    expect(locked.status).toBe(429)
    expect(locked.body.error).toBe('invalid_client')
    expect(locked.headers['retry-after']).toBe('900')
    await sandbox.context.clock.advance(c.clientId, 899_000)
    expect((await tokenAs(c)).status).toBe(429)
    await sandbox.context.clock.advance(c.clientId, 1_000)
    expect((await tokenAs(c)).status).toBe(200)
  })

  it('counts failures in a 5-minute window only', async () => {
    const c = await makeClient(sandbox.app)
    for (let i = 0; i < 4; i++) await tokenAs(c, 'Wrong-Secret-1!')
    await sandbox.context.clock.advance(c.clientId, 301_000)
    for (let i = 0; i < 4; i++) await tokenAs(c, 'Wrong-Secret-1!')
    expect((await tokenAs(c)).status).toBe(200)
  })

  it('locks the client id for that source address only', async () => {
    const c = await makeClient(sandbox.app)
    for (let i = 0; i < 5; i++) await tokenAs(c, 'Wrong-Secret-1!')
    expect((await tokenAs(c)).status).toBe(429)
    const elsewhere = await sandbox.context.auth.checkClient(
      { clientId: c.clientId, secrets: [c.clientSecret], method: 'client_secret_basic' },
      { ip: '203.0.113.7', endpoint: '/oauth/token' },
    )
    expect(elsewhere.ok).toBe(true)
  })

  it('journals each failure and the lockout, never with a secret', async () => {
    const c = await makeClient(sandbox.app)
    events.length = 0
    for (let i = 0; i < 5; i++) await tokenAs(c, 'Wrong-Secret-7!')
    const failures = events.filter((e) => e.type === 'failure')
    expect(failures).toHaveLength(5)
    expect(failures[0]).toMatchObject({
      type: 'failure',
      clientId: c.clientId,
      reason: 'bad-secret',
      endpoint: '/oauth/token',
      ip: expect.any(String),
    })
    expect(events.find((e) => e.type === 'lockout')).toMatchObject({ clientId: c.clientId })
    const text = JSON.stringify(events)
    expect(text).not.toContain('Wrong-Secret-7!')
    expect(text).not.toContain(c.clientSecret)
  })

  it('journals issued tokens by jti only', async () => {
    const c = await makeClient(sandbox.app)
    events.length = 0
    const res = await tokenAs(c)
    const issued = events.find((e) => e.type === 'token')
    expect(issued).toMatchObject({
      clientId: c.clientId,
      jti: expect.any(String),
      singleUse: false,
    })
    expect(JSON.stringify(events)).not.toContain(res.body.access_token)
  })

  it('lets the admin lift a lockout', async () => {
    const c = await makeClient(sandbox.app)
    for (let i = 0; i < 5; i++) await tokenAs(c, 'Wrong-Secret-1!')
    expect((await tokenAs(c)).status).toBe(429)
    expect(
      (
        await request(sandbox.app)
          .post(`/__sandbox/clients/${c.clientId}/unlock`)
          .set('authorization', `Bearer ${ADMIN}`)
      ).status,
    ).toBe(204)
    expect((await tokenAs(c)).status).toBe(200)
  })

  it('takes its thresholds from the lockout options', async () => {
    const strict = await authSandbox({ lockout: { maxFailures: 2, duration: 60 } })
    const c = await makeClient(strict.app)
    const as = (secret: string) =>
      request(strict.app)
        .post('/oauth/token')
        .set('authorization', basicAuth(c.clientId, secret))
        .type('form')
        .send('grant_type=client_credentials')
    await as('Wrong-Secret-1!')
    await as('Wrong-Secret-1!')
    const locked = await as(c.clientSecret)
    expect(locked.status).toBe(429)
    expect(locked.headers['retry-after']).toBe('60')
    await strict.close()
  })

  it('locks unknown client ids too, so guessing ids is no faster', async () => {
    const ghost = { clientId: 'ghost-client', clientSecret: 'Nothing-Here-1!' }
    for (let i = 0; i < 5; i++) expect((await tokenAs(ghost)).status).toBe(401)
    expect((await tokenAs(ghost)).status).toBe(429)
  })
})
