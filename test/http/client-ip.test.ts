import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ADMIN, authSandbox, basicAuth, makeClient } from '../auth/helpers.js'

/** Five wrong secrets from one forwarded address, then one more try from each of two addresses. */
async function lockoutAcrossAddresses(trustProxy: boolean): Promise<[number, number]> {
  const sandbox = await authSandbox({ trustProxy })
  try {
    const client = await makeClient(sandbox.app, { privileges: [] })
    const attempt = (forwardedFor: string) =>
      request(sandbox.app)
        .post('/oauth/token')
        .set('authorization', basicAuth(client.clientId, 'Wrong-secret-123!'))
        .set('x-forwarded-for', forwardedFor)
        .type('form')
        .send({ grant_type: 'client_credentials' })
    for (let i = 0; i < 5; i++) await attempt('198.51.100.7, 203.0.113.1')
    const sameAddress = await attempt('203.0.113.1')
    const otherAddress = await attempt('203.0.113.2')
    return [sameAddress.status, otherAddress.status]
  } finally {
    await sandbox.close()
  }
}

describe('client address behind a load balancer', () => {
  it('takes the last X-Forwarded-For entry with trustProxy: a lockout holds for that address only', async () => {
    expect(await lockoutAcrossAddresses(true)).toEqual([429, 401])
  })

  it('ignores X-Forwarded-For without trustProxy: every call shares the socket address', async () => {
    expect(await lockoutAcrossAddresses(false)).toEqual([429, 429])
  })

  it('never lets the admin surface depend on the forwarded address', async () => {
    const sandbox = await authSandbox({ trustProxy: true })
    const r = await request(sandbox.app)
      .get('/__sandbox/clients')
      .set('x-forwarded-for', '127.0.0.1')
    expect(r.status).toBe(401)
    const ok = await request(sandbox.app)
      .get('/__sandbox/clients')
      .set('authorization', `Bearer ${ADMIN}`)
    expect(ok.status).toBe(200)
    await sandbox.close()
  })
})
