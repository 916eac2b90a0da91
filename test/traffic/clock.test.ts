import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JSON_PATH, startHarness, type Harness, type TestClient } from './harness.js'

describe('sandbox clock', () => {
  let h: Harness
  let a: TestClient
  let b: TestClient
  beforeAll(async () => {
    h = await startHarness()
    a = await h.client()
    b = await h.client()
  })
  afterAll(() => h.close())

  it('moves a client clock forward on the admin request and shows it', async () => {
    const moved = await h
      .admin('post', '/__sandbox/clock')
      .send({ client_id: a.id, advance: '12h' })
      .expect(200)
    expect(moved.body).toMatchObject({
      client_id: a.id,
      offset_seconds: 43_200,
      shifted: true,
      now: new Date(h.now + 43_200_000).toISOString(),
    })
    const shown = await h.admin('get', '/__sandbox/clock').query({ client_id: a.id }).expect(200)
    expect(shown.body.offset_seconds).toBe(43_200)
    await h.admin('post', '/__sandbox/clock').send({ client_id: a.id, advance: 90 }).expect(200)
    expect(
      (await h.admin('get', '/__sandbox/clock').query({ client_id: a.id })).body.offset_seconds,
    ).toBe(43_290)
  })

  it('leaves other clients on real time', async () => {
    const other = await h.admin('get', '/__sandbox/clock').query({ client_id: b.id }).expect(200)
    expect(other.body).toMatchObject({ offset_seconds: 0, shifted: false })
  })

  it('brings a clock back to real time on reset', async () => {
    await h.admin('post', '/__sandbox/clock').send({ client_id: a.id, reset: true }).expect(200)
    expect(
      (await h.admin('get', '/__sandbox/clock').query({ client_id: a.id })).body.offset_seconds,
    ).toBe(0)
  })

  it('lets a client move its own clock with its own credentials and no client_id', async () => {
    const res = await request(h.url)
      .post('/__sandbox/clock')
      .set('authorization', b.basic)
      .send({ advance: '1h' })
      .expect(200)
    expect(res.body).toMatchObject({ client_id: b.id, offset_seconds: 3600 })
    await request(h.url)
      .post('/__sandbox/clock')
      .set('authorization', b.basic)
      .send({ reset: true })
      .expect(200)
  })

  it("refuses a client moving another client's clock", async () => {
    const res = await request(h.url)
      .post('/__sandbox/clock')
      .set('authorization', b.basic)
      .send({ client_id: a.id, advance: '1h' })
    expect(res.status).toBe(403)
    expect(res.headers['content-type']).toMatch(/problem\+json/)
  })

  it('refuses a call without credentials, a backward move and a malformed duration', async () => {
    await request(h.url).post('/__sandbox/clock').send({ advance: '1h' }).expect(401)
    const back = await h
      .admin('post', '/__sandbox/clock')
      .send({ client_id: a.id, advance: -5 })
      .expect(400)
    expect(back.body.detail).toMatch(/never moves backward/)
    await h.admin('post', '/__sandbox/clock').send({ client_id: a.id, advance: 'soon' }).expect(400)
    await h
      .admin('post', '/__sandbox/clock')
      .send({ client_id: a.id, advance: '1h', reset: true })
      .expect(400)
    await h
      .admin('post', '/__sandbox/clock')
      .send({ client_id: 'nobody', advance: '1h' })
      .expect(404)
  })

  it('says so in a header on every answer to a client whose clock is shifted', async () => {
    const plain = await a.get(JSON_PATH)
    expect(plain.headers['sandbox-clock-offset']).toBeUndefined()
    await h.admin('post', '/__sandbox/clock').send({ client_id: a.id, advance: '2h' }).expect(200)
    const shifted = await a.get(JSON_PATH)
    expect(shifted.headers['sandbox-clock-offset']).toBe('7200')
    expect(shifted.headers['sandbox-clock']).toBe(new Date(h.now + 7_200_000).toISOString())
    // RateLimit-Reset is on the client's clock too.
    expect(Number(shifted.headers['ratelimit-reset'])).toBe(
      Math.ceil((h.now + 7_200_000 + 60_000) / 1000),
    )
  })
})
