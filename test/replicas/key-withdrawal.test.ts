import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { ADMIN, callApi, getToken, INSEE_PATH, makeClient } from '../auth/helpers.js'
import { startRedisServer, type RedisServer } from '../store/redis-server.js'

const PUBLIC_URL = 'http://sandbox.replicas.test'

const kidOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid

let redis: RedisServer
let a: Sandbox
let b: Sandbox
// Real time as replica B sees it, moved on by the test instead of waited for.
let ahead = 0

beforeAll(async () => {
  redis = await startRedisServer()
  const options = {
    state: redis.url,
    adminToken: ADMIN,
    publicUrl: PUBLIC_URL,
    rateLimits: 'off',
    log: () => undefined,
  }
  a = await createSandbox(options)
  b = await createSandbox({ ...options, now: () => Date.now() + ahead })
})
afterAll(async () => {
  await a?.close()
  await b?.close()
  await redis?.dispose()
})

describe('a key withdrawn on one replica', () => {
  it('stops verifying on the others within a second, cached tokens included', async () => {
    const client = await makeClient(a.app)
    const token = await getToken(a.app, client)
    // Verified, and so cached, on B.
    expect((await callApi(b.app, INSEE_PATH, token)).status).toBe(200)
    const withdrawn = await request(a.app)
      .delete(`/__sandbox/keys/${kidOf(token)}`)
      .set('authorization', `Bearer ${ADMIN}`)
    expect(withdrawn.status).toBe(200)
    expect((await callApi(a.app, INSEE_PATH, token)).status).toBe(401)
    ahead += 1001
    expect((await callApi(b.app, INSEE_PATH, token)).status).toBe(401)
    const jwks = await request(b.app).get('/.well-known/jwks.json')
    expect((jwks.body.keys as Array<{ kid: string }>).map((k) => k.kid)).not.toContain(kidOf(token))
    // Tokens of the key that replaced it verify on B.
    const fresh = await getToken(a.app, client)
    expect(kidOf(fresh)).not.toBe(kidOf(token))
    expect((await callApi(b.app, INSEE_PATH, fresh)).status).toBe(200)
  })

  it('also when the key is retired, no longer the active one: out of the JWKS there too', async () => {
    const client = await makeClient(a.app)
    const token = await getToken(a.app, client)
    expect((await callApi(b.app, INSEE_PATH, token)).status).toBe(200)
    const admin = (method: 'post' | 'delete', path: string) =>
      request(a.app)[method](path).set('authorization', `Bearer ${ADMIN}`)
    expect((await admin('post', '/__sandbox/keys/rotate')).status).toBe(200)
    // B follows the rotation: the retired key is still published there.
    const kids = async (): Promise<string[]> =>
      (
        (await request(b.app).get('/.well-known/jwks.json')).body.keys as Array<{ kid: string }>
      ).map((k) => k.kid)
    expect(await kids()).toContain(kidOf(token))
    expect((await admin('delete', `/__sandbox/keys/${kidOf(token)}`)).status).toBe(200)
    ahead += 1001
    // The JWKS first: no verification on B has reloaded its keys yet.
    expect(await kids()).not.toContain(kidOf(token))
    expect((await callApi(b.app, INSEE_PATH, token)).status).toBe(401)
  })
})
