import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import { ADMIN, basic, proxiedSandbox } from './helpers.js'

const FLOODER = '203.0.113.50'
const NEIGHBOUR = '198.51.100.60'
const SECRET = 'Flood-Secret-0123!'

/**
 * A flood of client authentications with made-up ids from one address: each costs a full scrypt (an
 * unknown id must not answer faster than a wrong secret), so past the address's budget of failures
 * (`lockout.perAddress`) its attempts are refused with 429 without any secret check, unless they
 * present credentials verified before. Other addresses are not affected.
 */
describe('a flood of failed logins from one address', () => {
  let sandbox: Sandbox
  let advance: (ms: number) => void
  beforeAll(async () => {
    ;({ sandbox, advance } = await proxiedSandbox({ lockout: { perAddress: 20 } }))
    for (const id of ['regular', 'newcomer']) {
      const res = await request(sandbox.app)
        .post('/__sandbox/clients')
        .set('authorization', `Bearer ${ADMIN}`)
        .send({ client_id: id, client_secret: SECRET, privileges: [] })
      expect(res.status).toBe(201)
    }
  })
  afterAll(() => sandbox.close())

  const login = (from: string, id: string, secret: string) =>
    request(sandbox.app)
      .post('/oauth/token')
      .set('x-forwarded-for', from)
      .set('authorization', basic(id, secret))
      .type('form')
      .send({ grant_type: 'client_credentials' })

  it('refuses the address with 429 and Retry-After once its budget is spent, without checking secrets', async () => {
    // The regular client logs in from the flooding address before the flood (a shared NAT).
    expect((await login(FLOODER, 'regular', SECRET)).status).toBe(200)
    for (let i = 0; i < 20; i++)
      expect((await login(FLOODER, `made-up-${i}`, 'Wrong-Secret-123!')).status).toBe(401)
    const refused = await login(FLOODER, 'made-up-x', 'Wrong-Secret-123!')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect((refused.body as { error: string }).error).toBe('invalid_client')
    // A real client id with a secret never verified from here: refused the same, so no id is told apart.
    expect((await login(FLOODER, 'newcomer', SECRET)).status).toBe(429)
  })

  it('still lets in credentials verified before, and other addresses', async () => {
    expect((await login(FLOODER, 'regular', SECRET)).status).toBe(200)
    expect((await login(NEIGHBOUR, 'newcomer', SECRET)).status).toBe(200)
  })

  it('journals the refusals as address-limited authentication failures', async () => {
    const res = await request(sandbox.app)
      .get('/__sandbox/journal')
      .query({ kind: 'auth-failure', limit: 1000 })
      .set('x-forwarded-for', NEIGHBOUR)
      .set('authorization', `Bearer ${ADMIN}`)
    const codes = (res.body as { entries: Array<{ code: string; ip: string }> }).entries
      .filter((e) => e.ip === FLOODER)
      .map((e) => e.code)
    expect(codes.filter((c) => c === 'unknown-client')).toHaveLength(20)
    expect(codes.filter((c) => c === 'address-limited')).toHaveLength(2)
  })

  it('lets the address try again once the window is over', async () => {
    advance(301_000)
    expect((await login(FLOODER, 'newcomer', SECRET)).status).toBe(200)
  })
})
