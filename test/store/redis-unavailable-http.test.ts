import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { ADMIN, callApi, firstError, getToken, INSEE_PATH, makeClient } from '../auth/helpers.js'
import { startRedisServer, type RedisServer } from './redis-server.js'

// A whole sandbox on a real Redis that is stopped under it, then started again. Redis persists
// (append-only file), so the client and its token survive the restart as they would in production.
let server: RedisServer
let sandbox: Sandbox
let token: string
const logged: string[] = []
beforeAll(async () => {
  server = await startRedisServer({ persist: true })
  sandbox = await createSandbox({
    state: server.url,
    adminToken: ADMIN,
    rateLimits: 'off',
    log: (line) => void logged.push(line),
  })
  token = await getToken(sandbox.app, await makeClient(sandbox.app))
})
afterAll(async () => {
  await sandbox?.close()
  await server?.dispose()
})

/** Stops Redis for the duration of `body`, then starts it and waits until the sandbox is ready. */
async function whileRedisDown(body: () => Promise<void>): Promise<void> {
  await server.stop()
  try {
    await body()
  } finally {
    await server.start()
    await vi.waitFor(
      async () => expect((await request(sandbox.app).get('/__sandbox/health')).status).toBe(200),
      { timeout: 10_000, interval: 20 },
    )
  }
}

describe('a sandbox on Redis while Redis is down', () => {
  it("answers API calls 503 in the contract's error shape, then serves them again", async () => {
    expect((await callApi(sandbox.app, INSEE_PATH, token)).status).toBe(200)
    await whileRedisDown(async () => {
      const res = await callApi(sandbox.app, INSEE_PATH, token)
      expect(res.status).toBe(503)
      expect(res.headers['retry-after']).toBe('5')
      expect(firstError(res.body)).toMatchObject({
        code: '00503',
        detail: expect.stringMatching(
          /\(Redis\) est injoignable ; réessayez dans quelques secondes/,
        ),
      })
      expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|redis:\/\//)
    })
    expect((await callApi(sandbox.app, INSEE_PATH, token)).status).toBe(200)
    expect(logged.filter((l) => l.startsWith('error:'))).toEqual([])
  })

  it('says not-ready with 503 on /__sandbox/health', async () => {
    await whileRedisDown(async () => {
      const res = await request(sandbox.app).get('/__sandbox/health')
      expect(res.status).toBe(503)
      expect(res.body).toMatchObject({ status: 'not-ready', ready: false, store: 'redis' })
    })
  })

  it('answers admin calls 503 with a store-unavailable problem', async () => {
    await whileRedisDown(async () => {
      const res = await request(sandbox.app)
        .get('/__sandbox/clients')
        .set('authorization', `Bearer ${ADMIN}`)
      expect(res.status).toBe(503)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.body).toMatchObject({ status: 503, code: 'store-unavailable' })
    })
  })

  it('logs losing Redis and getting it back, once each per outage', () => {
    const outages = logged.filter((l) => /unreachable .*API calls answer 503/.test(l))
    const recoveries = logged.filter((l) => /reachable again; service resumed$/.test(l))
    expect(outages).toHaveLength(3)
    expect(recoveries).toHaveLength(3)
  })
})
