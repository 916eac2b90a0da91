import { decodeJwt } from 'jose'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import {
  ADMIN,
  authSandbox,
  callApi,
  firstError,
  getToken,
  INSEE_PATH,
  makeClient,
  revokeToken,
  SIREN,
  URSSAF_PATH,
  type MadeClient,
} from './helpers.js'

describe('token enforcement on contract operations', () => {
  let sandbox: Sandbox
  let client: MadeClient
  beforeAll(async () => {
    sandbox = await authSandbox()
    client = await makeClient(sandbox.app, {
      privileges: ['unites_legales_etablissements_insee', 'open_data'],
    })
  })
  afterAll(() => sandbox.close())

  it('serves an operation to a token holding its privilege', async () => {
    const res = await callApi(sandbox.app, INSEE_PATH, await getToken(sandbox.app, client))
    expect(res.status).toBe(200)
  })

  it('answers 401 00101 without a token, with the contract example and a bare challenge', async () => {
    const res = await callApi(sandbox.app, INSEE_PATH)
    expect(res.status).toBe(401)
    expect(firstError(res.body)).toMatchObject({
      code: '00101',
      title: 'Interdit',
      detail: "Votre token n'est pas valide ou n'est pas renseigné",
    })
    expect(res.headers['www-authenticate']).toBe('Bearer realm="sandbox-twin"')
  })

  it('answers 401 00101 to a malformed Authorization header', async () => {
    for (const header of ['Bearer', 'Bearer ', 'Token abc', 'Bearer not-a-jwt']) {
      const res = await request(sandbox.app).get(INSEE_PATH).set('authorization', header)
      expect(res.status, header).toBe(401)
      expect(firstError(res.body).code).toBe('00101')
    }
  })

  it('answers 401 00103 once the token has expired on the client sandbox clock', async () => {
    const token = await getToken(sandbox.app, client)
    // `exp` is whole seconds from the second the token was issued in (`iat` rounded down): up to a
    // second less than 300 s of real time. At 298 s more than a second is left before it; at 301 s
    // it has passed, whatever the fraction and the time the calls take.
    await sandbox.context.clock.advance(client.clientId, 298_000)
    expect((await callApi(sandbox.app, INSEE_PATH, token)).status).toBe(200)
    await sandbox.context.clock.advance(client.clientId, 3_000)
    const res = await callApi(sandbox.app, INSEE_PATH, token)
    expect(res.status).toBe(401)
    expect(firstError(res.body)).toMatchObject({ code: '00103', title: 'Jeton expiré' })
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"')
    await sandbox.context.clock.reset(client.clientId)
  })

  it('answers 401 00105 to a revoked token at once, even one verified and cached before', async () => {
    const token = await getToken(sandbox.app, client)
    expect((await callApi(sandbox.app, INSEE_PATH, token)).status).toBe(200)
    const revoked = await revokeToken(sandbox.app, client, token)
    expect(revoked.status).toBe(200)
    const res = await callApi(sandbox.app, INSEE_PATH, token)
    expect(res.status).toBe(401)
    expect(firstError(res.body)).toMatchObject({ code: '00105', title: 'Jeton sur liste noire' })
  })

  it('answers 403 00100 to a valid token lacking the privilege', async () => {
    const res = await callApi(sandbox.app, URSSAF_PATH, await getToken(sandbox.app, client))
    expect(res.status).toBe(403)
    expect(firstError(res.body)).toMatchObject({ code: '00100', title: 'Privilèges insuffisants' })
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="sandbox-twin", error="insufficient_scope", scope="attestation_sociale_urssaf"',
    )
  })

  it('judges privileges on the token scopes, not the client privileges', async () => {
    const narrow = await getToken(sandbox.app, client, { scope: 'open_data' })
    expect((await callApi(sandbox.app, INSEE_PATH, narrow)).status).toBe(403)
  })

  it('withdraws a privilege from live tokens as soon as the admin removes it', async () => {
    const c = await makeClient(sandbox.app, {
      privileges: ['unites_legales_etablissements_insee', 'open_data'],
    })
    const token = await getToken(sandbox.app, c)
    await request(sandbox.app)
      .patch(`/__sandbox/clients/${c.clientId}`)
      .set('authorization', `Bearer ${ADMIN}`)
      .send({ privileges: ['open_data'] })
    expect((await callApi(sandbox.app, INSEE_PATH, token)).status).toBe(403)
    const res = await request(sandbox.app)
      .get('/privileges')
      .set('authorization', `Bearer ${token}`)
    expect(res.body).toEqual({ privileges: ['open_data'] })
  })

  it('answers GET /privileges with the presented token privileges', async () => {
    const res = await request(sandbox.app)
      .get('/privileges')
      .set('authorization', `Bearer ${await getToken(sandbox.app, client)}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ privileges: ['unites_legales_etablissements_insee', 'open_data'] })
    const narrow = await request(sandbox.app)
      .get('/privileges')
      .set('authorization', `Bearer ${await getToken(sandbox.app, client, { scope: 'open_data' })}`)
    expect(narrow.body).toEqual({ privileges: ['open_data'] })
    expect((await request(sandbox.app).get('/privileges')).status).toBe(401)
  })

  it('serves an operation that needs no privilege to any valid token', async () => {
    const none = await makeClient(sandbox.app, { privileges: [] })
    const res = await callApi(
      sandbox.app,
      `/v3/european_commission/unites_legales/${SIREN}/numero_tva`,
      await getToken(sandbox.app, none),
    )
    expect([401, 403]).not.toContain(res.status)
  })

  it('refuses the token of a deleted client', async () => {
    const gone = await makeClient(sandbox.app, { privileges: ['open_data'] })
    const token = await getToken(sandbox.app, gone)
    await request(sandbox.app)
      .delete(`/__sandbox/clients/${gone.clientId}`)
      .set('authorization', `Bearer ${ADMIN}`)
    const res = await request(sandbox.app)
      .get('/privileges')
      .set('authorization', `Bearer ${token}`)
    expect(res.status).toBe(401)
    expect(firstError(res.body).code).toBe('00101')
  })

  it('keeps issuing tokens against the client clock', async () => {
    const c = await makeClient(sandbox.app, { privileges: ['open_data'] })
    await sandbox.context.clock.advance(c.clientId, 86_400_000)
    const claims = decodeJwt(await getToken(sandbox.app, c))
    expect(claims.iat! * 1000).toBeGreaterThan(Date.now() + 86_000_000)
    expect(
      (
        await request(sandbox.app)
          .get('/privileges')
          .set('authorization', `Bearer ${await getToken(sandbox.app, c)}`)
      ).status,
    ).toBe(200)
  })
})
