import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import request from 'supertest'
import { ADMIN, JSON_PATH, startHarness, times, type Harness } from './harness.js'

describe("a client's own rate-limit table", () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
  })
  afterAll(() => h.close())

  it('applies the rate_limits given when the client is created', async () => {
    const c = await h.client({ rate_limits: { groups: { json: { limit: 3 } } } })
    const token = await c.token()
    const answers = await times(4, () => c.get(JSON_PATH, token))
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429])
    expect(answers[0]!.headers['ratelimit-limit']).toBe('3')
    // The harness's clock stands still: the window opened by the first call ends a full minute later.
    expect(answers[3]!.headers['retry-after']).toBe('60')
  })

  it('leaves other clients on the sandbox table', async () => {
    const c = await h.client()
    const r = await c.get(JSON_PATH)
    expect(r.headers['ratelimit-limit']).toBe('250')
  })

  it('turns limits off for a client created with rate_limits "off", and back on by PATCH', async () => {
    const c = await h.client({ rate_limits: 'off' })
    expect((await c.get(JSON_PATH)).headers['ratelimit-limit']).toBeUndefined()
    const patched = await request(h.url)
      .patch(`/__sandbox/clients/${c.id}`)
      .set('authorization', `Bearer ${ADMIN}`)
      .send({ rate_limits: { groups: { json: { limit: 7 } } } })
    expect(patched.status).toBe(200)
    expect((await c.get(JSON_PATH)).headers['ratelimit-limit']).toBe('7')
  })

  it('refuses a client whose table is invalid, naming the entry', async () => {
    const r = await h
      .admin('post', '/__sandbox/clients')
      .send({ privileges: [], rate_limits: { groups: { json: -1 } } })
    expect(r.status).toBe(400)
    expect(r.body.detail).toMatch(/^rate_limits at \/groups\/json: .*must be a limit/)
  })
})
