import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import { accountStatus } from '../../mock/auth/account-status.js'
import { ADMIN, authSandbox, basicAuth } from './helpers.js'

const DAY = 86_400_000

describe('the published account status: red, yellow, green', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await authSandbox()
  })
  afterAll(() => sandbox.close())
  const admin = (r: request.Test) => r.set('authorization', `Bearer ${ADMIN}`)
  const status = async (id: string) => {
    const res = await admin(request(sandbox.app).get(`/__sandbox/clients/${id}`))
    expect(res.status).toBe(200)
    return { status: res.body.status, reason: res.body.status_reason }
  }

  it('says what the holder must do: green when ready, yellow near and past the secret expiry, red when it cannot call', async () => {
    const made = await admin(request(sandbox.app).post('/__sandbox/clients')).send({
      client_id: 'colours',
      privileges: ['open_data'],
    })
    expect(made.status).toBe(201)
    expect(made.body).toMatchObject({ status: 'green' })
    expect(made.body).not.toHaveProperty('status_reason')
    const secret = made.body.client_secret as string
    // Within the 14 days' notice before the secret expires: yellow, the holder must renew it.
    await admin(request(sandbox.app).post('/__sandbox/clock')).send({
      client_id: 'colours',
      advance: `${365 - 10}d`,
    })
    expect(await status('colours')).toEqual({ status: 'yellow', reason: 'secret-expiring' })
    // The client's own view (/me) publishes the same status.
    const me = await request(sandbox.app)
      .get('/__sandbox/me')
      .set('authorization', basicAuth('colours', secret))
    expect(me.body).toMatchObject({ status: 'yellow', status_reason: 'secret-expiring' })
    // Past expiry: still yellow (renewing the secret brings it back), tokens refused meanwhile.
    await admin(request(sandbox.app).post('/__sandbox/clock')).send({
      client_id: 'colours',
      advance: '11d',
    })
    expect(await status('colours')).toEqual({ status: 'yellow', reason: 'secret-expired' })
    const rotated = await admin(request(sandbox.app).post('/__sandbox/clients/colours/secret'))
    expect(rotated.status).toBe(200)
    expect(await status('colours')).toEqual({ status: 'green', reason: undefined })
    // Revoked: red, whatever the privileges.
    await admin(request(sandbox.app).delete('/__sandbox/clients/colours/secret'))
    expect(await status('colours')).toEqual({ status: 'red', reason: 'secret-revoked' })
    // No privilege: red.
    await admin(request(sandbox.app).post('/__sandbox/clients')).send({ client_id: 'bare' })
    expect(await status('bare')).toEqual({ status: 'red', reason: 'no-privilege' })
  })

  it('one rule for every surface: the boundaries of the notice', () => {
    const client = { privileges: ['x'], secretHash: 'h', secretExpiresAt: 100 * DAY }
    const notice = 14 * DAY
    expect(accountStatus(client, 86 * DAY - 1, notice).status).toBe('green')
    expect(accountStatus(client, 86 * DAY, notice)).toEqual({
      status: 'yellow',
      reason: 'secret-expiring',
    })
    expect(accountStatus(client, 100 * DAY, notice)).toEqual({
      status: 'yellow',
      reason: 'secret-expired',
    })
    expect(accountStatus({ ...client, secretHash: null }, 0, notice).reason).toBe('secret-revoked')
  })
})
