import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { JSON_PATH, startHarness, times, type Harness, type TestClient } from './harness.js'
import { rawGet } from './raw-socket.js'

/**
 * How long a test waits for the server to hold or release a connection: an event, polled; generous,
 * since a loaded machine may take seconds to get there, and a passing test waits only as long as it takes.
 */
const UNTIL_HELD = { timeout: 20_000, interval: 10 }

/** Gives a client a JSON limit of 3 calls per period, then uses it up and ignores 10 answers 429. */
async function exhaust(h: Harness, c: TestClient, token: string): Promise<number[]> {
  await h
    .admin('put', '/__sandbox/rate-limits')
    .send({ client_id: c.id, rate_limits: { groups: { json: 3 } } })
    .expect(200)
  return (await times(13, () => c.get(JSON_PATH, token))).map((r) => r.status)
}

/** Exhausts the client's window, then makes the call that earns the ban, and lets it go. */
async function ban(h: Harness, c: TestClient): Promise<void> {
  await exhaust(h, c, await c.token())
  const call = await rawGet(h.url, JSON_PATH, `Bearer ${await c.token()}`)
  await vi.waitFor(() => expect(h.sandbox.context.traffic.holder.held).toBe(1), UNTIL_HELD)
  call.socket.destroy()
  await vi.waitFor(() => expect(h.sandbox.context.traffic.holder.held).toBe(0), UNTIL_HELD)
}

/** True once a raw call is held by the server (it then has written nothing). */
const heldOnce = (h: Harness, n = 1): Promise<void> =>
  vi.waitFor(() => expect(h.sandbox.context.traffic.holder.held).toBe(n), UNTIL_HELD)

describe('bans', () => {
  let h: Harness
  afterEach(async () => {
    vi.useRealTimers()
    await h?.close()
  })

  it('bans a client that keeps calling through its 429 period: a raw socket receives zero bytes until closed', async () => {
    h = await startHarness()
    const c = await h.client()
    const token = await c.token()
    expect(await exhaust(h, c, token)).toEqual([200, 200, 200, ...Array(10).fill(429)])
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const call = await rawGet(h.url, JSON_PATH, `Bearer ${token}`)
    await vi.waitFor(() => expect(h.sandbox.context.traffic.holder.held).toBe(1), UNTIL_HELD)
    vi.advanceTimersByTime(59_000)
    expect(call.received().length).toBe(0)
    expect(call.socket.destroyed).toBe(false)
    vi.advanceTimersByTime(1_000) // ban.holdFor: 60 s
    expect((await call.closed).length).toBe(0)
    await heldOnce(h, 0)
  })

  it('holds later connections of the banned client from the first stage, before its token is checked', async () => {
    h = await startHarness()
    const c = await h.client()
    await ban(h, c)
    // A new token with a broken signature: held all the same, so the hold came before authentication.
    const call = await rawGet(h.url, JSON_PATH, `Bearer ${await c.token()}x`)
    await heldOnce(h)
    call.socket.destroy() // the client gives up
    await call.closed
    await heldOnce(h, 0)
    expect(call.received().length).toBe(0)
  })

  it('holds at most ban.maxHeld connections and closes the others at once, without a byte', async () => {
    h = await startHarness({ ban: { maxHeld: 2 } })
    const c = await h.client()
    const token = await c.token()
    await exhaust(h, c, token)
    const held = await times(2, () => rawGet(h.url, JSON_PATH, `Bearer ${token}`))
    await vi.waitFor(() => expect(h.sandbox.context.traffic.holder.held).toBe(2), UNTIL_HELD)
    const third = await rawGet(h.url, JSON_PATH, `Bearer ${token}`)
    expect((await third.closed).length).toBe(0)
    expect(h.sandbox.context.traffic.holder.held).toBe(2)
    for (const call of held) expect(call.socket.destroyed).toBe(false)
  })

  it('lifts the ban when the client advances its clock 12 hours', async () => {
    h = await startHarness()
    const c = await h.client()
    await ban(h, c)
    await h
      .admin('post', '/__sandbox/clock')
      .send({ client_id: c.id, advance: '11h59m' })
      .expect(200)
    const still = await rawGet(h.url, JSON_PATH, `Bearer ${await c.token()}`)
    await heldOnce(h)
    still.socket.destroy()
    await heldOnce(h, 0)
    await h.admin('post', '/__sandbox/clock').send({ client_id: c.id, advance: '1m' }).expect(200)
    const res = await c.get(JSON_PATH)
    expect(res.status).toBe(200)
    expect(res.headers['sandbox-clock-offset']).toBe(String(12 * 3600))
  })

  it('shows the ban, its reason and its end to the client and the admin, and lets the admin lift it with fresh periods', async () => {
    h = await startHarness()
    const c = await h.client()
    await ban(h, c)
    const until = new Date(h.now + 12 * 3600_000).toISOString()
    const own = await h.admin('get', '/__sandbox/bans').set('authorization', c.basic).expect(200)
    expect(own.body.bans).toEqual([
      expect.objectContaining({ client_id: c.id, ip: '127.0.0.1', reason: 'ignored-429', until }),
    ])
    expect(own.body.held_connections).toBeUndefined()
    const me = await h.admin('get', '/__sandbox/me').set('authorization', c.basic).expect(200)
    expect(me.body).toMatchObject({
      client_id: c.id,
      privileges: expect.any(Array),
      bans: [expect.objectContaining({ reason: 'ignored-429', until })],
    })
    const traffic = await h
      .admin('get', '/__sandbox/traffic')
      .set('authorization', c.basic)
      .expect(200)
    expect(traffic.body.bans[0]).toMatchObject({
      reason: 'ignored-429',
      until,
      detail: expect.stringMatching(/10 calls .* after a 429/),
    })
    const all = await h.admin('get', '/__sandbox/bans').expect(200)
    expect(all.body.bans.map((b: { client_id: string }) => b.client_id)).toEqual([c.id])
    expect(await h.admin('delete', `/__sandbox/bans/${c.id}`).expect(200)).toHaveProperty(
      'body.lifted',
      1,
    )
    const after = await c.get(JSON_PATH)
    expect(after.status).toBe(200)
    expect(after.headers['ratelimit-remaining']).toBe('2') // a lifted client starts a fresh period
  })

  it('does not hold another client calling from the same IP', async () => {
    h = await startHarness()
    const banned = await h.client()
    const other = await h.client()
    await ban(h, banned)
    expect((await other.get(JSON_PATH)).status).toBe(200)
  })

  it('bans a client over the per-IP limit at once, whatever its group counters say', async () => {
    const file = join(tmpdir(), `rate-limits-${process.pid}.yaml`)
    await writeFile(file, 'window: 60s\nper_ip: 4\ndefault_group: json\ngroups:\n  json: 250\n')
    h = await startHarness({ rateLimits: file })
    const c = await h.client()
    const token = await c.token()
    expect((await times(4, () => c.get(JSON_PATH, token))).map((r) => r.status)).toEqual([
      200, 200, 200, 200,
    ])
    const fifth = await rawGet(h.url, JSON_PATH, `Bearer ${token}`)
    await vi.waitFor(() => expect(h.sandbox.context.traffic.holder.held).toBe(1), UNTIL_HELD)
    fifth.socket.destroy()
    const bans = await h.admin('get', '/__sandbox/bans').query({ client_id: c.id }).expect(200)
    expect(bans.body.bans[0]).toMatchObject({ reason: 'ip-limit' })
  })
})
