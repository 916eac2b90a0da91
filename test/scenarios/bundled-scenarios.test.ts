import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { UNAVAILABLE } from '../../mock/scenarios/partial.js'
import { JSON_PATH, startHarness, times, type Harness } from '../traffic/harness.js'
import { rawGet } from '../traffic/raw-socket.js'
import { arm, expectStatus, firstError, pathsOf } from './scenario-harness.js'

/**
 * How long a test waits for the server to hold or release a connection: an event, polled; generous,
 * since a loaded machine may take seconds to get there, and a passing test waits only as long as it takes.
 */
const UNTIL_HELD = { timeout: 20_000, interval: 10 }

/** Another company: another resource for the 502 memory. */
const OTHER_PATH = '/v3/insee/sirene/unites_legales/552100554'

describe('bundled scenarios', () => {
  let h: Harness
  const op = (): Parameters<Harness['sandbox']['context']['errors']>[0] =>
    h.sandbox.context.contract.operations.find(
      (o) => o.id === 'api_entreprise_v3_insee_unites_legales',
    )
  const example = (status: number): { code?: string } =>
    h.sandbox.context.errors(op(), status) as { code?: string }

  beforeAll(async () => {
    h = await startHarness({ delayFactor: 0.001 })
  })
  afterAll(() => h.close())

  it('burst-429 starts a 5-second 429 period on every 5th call, with consistent headers', async () => {
    const c = await h.client()
    await arm(h, c, 'burst-429')
    const token = await c.token()
    const statuses = (await times(4, () => c.get(JSON_PATH, token))).map((r) => r.status)
    expect(statuses).toEqual([200, 200, 200, 200])
    const burst = await c.get(JSON_PATH, token)
    expectStatus(burst, 429)
    expect(firstError(burst).code).toBe('00429')
    expect(burst.headers).toMatchObject({
      'ratelimit-limit': '250',
      'ratelimit-remaining': '0',
      'retry-after': '5',
      'sandbox-scenario': 'burst-429',
    })
    expect(burst.headers['ratelimit-reset']).toBe(String(Math.ceil((h.now + 5000) / 1000)))
    h.advance(4000)
    const early = await c.get(JSON_PATH, token)
    expect(early.status).toBe(429)
    expect(early.headers['retry-after']).toBe('1')
    h.advance(1000)
    expectStatus(await c.get(JSON_PATH, token), 200)
  })

  it('burst-429 bans a client that ignores its 429 period, as production does', async () => {
    const c = await h.client()
    await arm(h, c, 'burst-429')
    const token = await c.token()
    await times(5, () => c.get(JSON_PATH, token)) // the 5th starts the period
    expect((await times(9, () => c.get(JSON_PATH, token))).every((r) => r.status === 429)).toBe(
      true,
    )
    const call = await rawGet(h.url, JSON_PATH, `Bearer ${token}`)
    await vi.waitFor(() => expect(h.sandbox.context.traffic.holder.held).toBe(1), UNTIL_HELD)
    call.socket.destroy()
    await vi.waitFor(() => expect(h.sandbox.context.traffic.holder.held).toBe(0), UNTIL_HELD)
    const bans = await h.admin('get', '/__sandbox/bans').query({ client_id: c.id })
    expect(bans.body.bans[0]).toMatchObject({ reason: 'ignored-429' })
  })

  it('partial-206 answers 206 with two leaves of data reading "Donnée indisponible", the same ones each time', async () => {
    const c = await h.client()
    await arm(h, c, 'partial-206')
    const token = await c.token()
    const [a, b] = await times(2, () => c.get(JSON_PATH, token))
    expectStatus(a!, 206)
    const blanked = pathsOf(a!.body, UNAVAILABLE)
    expect(blanked).toHaveLength(2)
    expect(blanked.every((p) => p.startsWith('data.'))).toBe(true)
    expect(pathsOf(b!.body, UNAVAILABLE)).toEqual(blanked)
    expect(blanked).not.toContain('data.siren')
  })

  it('provider-502-retry-in answers 502 with retry_in on the 4th call and holds to it for that resource only', async () => {
    const c = await h.client()
    await arm(h, c, 'provider-502-retry-in')
    const token = await c.token()
    await times(3, () => c.get(JSON_PATH, token))
    const failed = await c.get(JSON_PATH, token)
    expectStatus(failed, 502)
    expect(firstError(failed)).toMatchObject({
      code: example(502).code,
      meta: expect.objectContaining({ retry_in: 10 }),
    })
    h.advance(4000)
    const again = await c.get(JSON_PATH, token)
    expectStatus(again, 502)
    expect(firstError(again).meta).toMatchObject({ retry_in: 6 })
    expectStatus(await c.get(OTHER_PATH, token), 200)
    h.advance(6000)
    expectStatus(await c.get(JSON_PATH, token), 200)
  })

  it('maintenance-503 answers 503 with Retry-After and the contract body', async () => {
    const c = await h.client()
    await arm(h, c, 'maintenance-503')
    const res = await c.get(JSON_PATH)
    expectStatus(res, 503)
    expect(res.headers['retry-after']).toBe('30')
    expect(firstError(res).code).toBe(example(503).code)
  })

  it('provider-timeout-504 answers 504 on every 3rd call, after the scaled provider wait', async () => {
    const c = await h.client()
    await arm(h, c, 'provider-timeout-504')
    const token = await c.token()
    const statuses = (await times(3, () => c.get(JSON_PATH, token))).map((r) => r.status)
    expect(statuses).toEqual([200, 200, 504])
    const res = await c.get(JSON_PATH, token)
    expect(res.status).toBe(200)
  })

  it('ip-ban bans the client from its IP at its next call, which gets no byte', async () => {
    const c = await h.client()
    await arm(h, c, 'ip-ban')
    const call = await rawGet(h.url, JSON_PATH, `Bearer ${await c.token()}`)
    await vi.waitFor(() => expect(h.sandbox.context.traffic.holder.held).toBe(1), UNTIL_HELD)
    call.socket.destroy()
    expect((await call.closed).length).toBe(0)
    await vi.waitFor(() => expect(h.sandbox.context.traffic.holder.held).toBe(0), UNTIL_HELD)
    const bans = await h.admin('get', '/__sandbox/bans').query({ client_id: c.id })
    expect(bans.body.bans[0]).toMatchObject({
      reason: 'scenario',
      until: new Date(h.now + 12 * 3600_000).toISOString(),
    })
  })

  it('token-expiry refuses the 10th call with 401 00103, keeps refusing that token, and lets a new one through', async () => {
    const c = await h.client()
    await arm(h, c, 'token-expiry')
    const token = await c.token()
    await times(9, () => c.get(JSON_PATH, token))
    const expired = await c.get(JSON_PATH, token)
    expectStatus(expired, 401)
    expect(firstError(expired).code).toBe('00103')
    expect(expired.headers['www-authenticate']).toMatch(
      /^Bearer realm="sandbox-twin", error="invalid_token"/,
    )
    expect(firstError(await c.get(JSON_PATH, token)).code).toBe('00103')
    expectStatus(await c.get(JSON_PATH), 200)
  })

  it('token-blacklisted refuses the token with 401 00105 for good', async () => {
    const c = await h.client()
    await arm(h, c, 'token-blacklisted')
    const token = await c.token()
    expect(firstError(await c.get(JSON_PATH, token)).code).toBe('00105')
    expect(firstError(await c.get(JSON_PATH, token)).code).toBe('00105')
    expectStatus(await c.get(JSON_PATH), 200)
  })

  it('all-incidents plays the scenarios one after another', async () => {
    const c = await h.client()
    await arm(h, c, 'all-incidents')
    const token = await c.token()
    const first = (await times(9, () => c.get(JSON_PATH, token))).map((r) => r.status)
    expect(first).toEqual([200, 200, 200, 206, 206, 200, 200, 200, 200])
    const burst = await c.get(JSON_PATH, token)
    expect(burst.status).toBe(429)
    expect(burst.headers['sandbox-scenario']).toBe('all-incidents')
    h.advance(5000)
    const next = (await times(4, () => c.get(JSON_PATH, token))).map((r) => r.status)
    expect(next).toEqual([200, 200, 200, 200])
    expect((await c.get(JSON_PATH, token)).status).toBe(502)
  })
})
