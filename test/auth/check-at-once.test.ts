import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import {
  ADMIN,
  authSandbox,
  getToken,
  makeClient,
  revokeToken,
  type MadeClient,
} from './helpers.js'

describe('token check on the embedded store', () => {
  let sandbox: Sandbox
  let client: MadeClient
  beforeAll(async () => {
    sandbox = await authSandbox()
    client = await makeClient(sandbox.app, { privileges: ['open_data'] })
  })
  afterAll(() => sandbox.close())

  it('answers a cached token at once, and still reads its revocation and its client on every call', async () => {
    const token = await getToken(sandbox.app, client)
    const check = (): ReturnType<Sandbox['context']['auth']['check']> =>
      sandbox.context.auth.check(token, Date.now())
    // The key set's version is read once a second: awaited here, the next call needs no read.
    expect((await check()).ok).toBe(true)
    const cached = check()
    expect(cached).not.toBeInstanceOf(Promise)
    expect(cached).toMatchObject({ ok: true, scopes: ['open_data'], offset: 0 })

    // The client's privileges changed by the admin: the kept scopes follow at once.
    const patched = await request(sandbox.app)
      .patch(`/__sandbox/clients/${client.clientId}`)
      .set('authorization', `Bearer ${ADMIN}`)
      .send({ privileges: [] })
    expect(patched.status).toBe(200)
    expect(await check()).toMatchObject({ ok: true, scopes: [] })

    const revoked = await revokeToken(sandbox.app, client, token)
    expect(revoked.status).toBe(200)
    expect(await check()).toMatchObject({ ok: false, reason: 'revoked' })
    expect(check()).toMatchObject({ ok: false, reason: 'revoked' })
  })
})
