import { decodeProtectedHeader } from 'jose'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { firstError, INSEE_PATH } from '../auth/helpers.js'
import { rawGet, until } from '../traffic/raw-socket.js'
import { inBatches, startReplicas, type Replica, type ReplicaSet } from './replicas.js'

// Two sandbox processes (A and B) on one real Redis, as behind a load balancer: whatever a client
// does on one replica must hold on the other.
let set: ReplicaSet
let a: Replica
/** How long a state change may take to show on the other replica (polled: passing waits no longer). */
const PATIENCE = { timeout: 20_000, interval: 25 }
let b: Replica
beforeAll(async () => {
  set = await startReplicas()
  ;[a, b] = set.replicas as [Replica, Replica]
})
afterAll(() => set?.stop())

describe('two replicas on one Redis', () => {
  it('refuses on B a single-use token already used on A', async () => {
    const client = await set.client()
    const token = await a.token(client, { single_use: 'true' })
    expect((await a.api(INSEE_PATH, token)).status).toBe(200)
    const again = await b.api(INSEE_PATH, token)
    expect(again.status).toBe(401)
    expect(firstError(again.body).code).toBe('00103')
  })

  it('serves a single-use token once when it races to A and B at the same time', async () => {
    const client = await set.client()
    const tokens = await inBatches(10, 10, () => b.token(client, { single_use: 'true' }))
    for (const token of tokens) {
      const answers = await Promise.all([a.api(INSEE_PATH, token), b.api(INSEE_PATH, token)])
      expect(answers.map((r) => r.status).sort()).toEqual([200, 401])
    }
  })

  it('counts 250 calls spread over A and B in one window, then answers 429 on either', async () => {
    const client = await set.client()
    const token = await a.token(client)
    const answers = await inBatches(250, 25, (i) => (i % 2 ? b : a).api(INSEE_PATH, token))
    expect(answers.filter((r) => r.status === 200)).toHaveLength(250)
    const remaining = answers
      .map((r) => Number(r.headers['ratelimit-remaining']))
      .sort((x, y) => x - y)
    expect(remaining).toEqual(Array.from({ length: 250 }, (_, i) => i))
    for (const replica of [a, b]) {
      const over = await replica.api(INSEE_PATH, token)
      expect(over.status).toBe(429)
      expect(firstError(over.body).code).toBe('00429')
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0)
    }
  })

  it('holds on B the connections of a client banned on A', async () => {
    const client = await set.client()
    // Its own table, stored in Redis like the rest: 3 calls a period, so a ban is 14 calls away.
    const table = await a
      .admin('put', '/__sandbox/rate-limits')
      .send({ client_id: client.clientId, rate_limits: { groups: { json: { limit: 3 } } } })
    expect(table.status).toBe(200)
    const token = await b.token(client)
    const answers = await inBatches(13, 1, (i) => (i % 2 ? b : a).api(INSEE_PATH, token))
    expect(answers.map((r) => r.status)).toEqual([...Array(3).fill(200), ...Array(10).fill(429)])
    // The 11th call past the limit, on A, earns the ban: A holds it without a byte of answer.
    const onA = await rawGet(a.url, INSEE_PATH, `Bearer ${token}`)
    await vi.waitFor(async () => {
      const bans = await b.admin('get', `/__sandbox/bans?client_id=${client.clientId}`)
      expect(bans.body.bans).toEqual([expect.objectContaining({ reason: 'ignored-429' })])
    }, PATIENCE)
    const onB = await rawGet(b.url, INSEE_PATH, `Bearer ${token}`)
    await vi.waitFor(async () => {
      const held = await b.admin('get', '/__sandbox/bans')
      expect(held.body.held_connections).toBe(1)
    }, PATIENCE)
    expect(onB.received()).toHaveLength(0)
    expect(onA.received()).toHaveLength(0)
    onA.socket.destroy()
    onB.socket.destroy()
    await until(() => onA.socket.destroyed && onB.socket.destroyed, 'the held sockets to close')
  })

  it('fires on B a scenario armed through A', async () => {
    const client = await set.client()
    const token = await a.token(client)
    expect((await b.api(INSEE_PATH, token)).status).toBe(200)
    const armed = await a
      .admin('post', '/__sandbox/scenarios')
      .send({ client_id: client.clientId, scenario: 'maintenance-503', calls: 2 })
    expect(armed.status).toBe(201)
    const answers = [await b.api(INSEE_PATH, token), await a.api(INSEE_PATH, token)]
    for (const res of answers) {
      expect(res.status).toBe(503)
      expect(res.headers['sandbox-scenario']).toBe('maintenance-503')
    }
    // Two calls, counted across both replicas: the arming is spent.
    expect((await b.api(INSEE_PATH, token)).status).toBe(200)
  })

  it('gives from B a verdict that covers the calls and the token made on A', async () => {
    const client = await set.client()
    const token = await a.token(client)
    await inBatches(3, 1, () => a.api(INSEE_PATH, token))
    // A's journal writer hands its buffer to Redis within 50 ms: wait for that, not for time.
    await vi.waitFor(async () => {
      const res = await b.admin('get', `/__sandbox/report?client=${client.clientId}&format=json`)
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ client: client.clientId, entries: { api: 3, token: 1 } })
    }, PATIENCE)
    const journal = await b.admin('get', `/__sandbox/journal?client=${client.clientId}&kind=api`)
    expect(journal.status).toBe(200)
    expect(JSON.stringify(journal.body)).toContain(INSEE_PATH)
  })

  it('signs, publishes and verifies on B, at once, a key rotated on A', async () => {
    const client = await set.client()
    expect((await b.api(INSEE_PATH, await b.token(client))).status).toBe(200)
    const rotated = await a.admin('post', '/__sandbox/keys/rotate')
    expect(rotated.status).toBe(200)
    const kid = rotated.body.kid as string
    // B has not seen the new key yet: its very next token is signed with it all the same.
    expect(decodeProtectedHeader(await b.token(client)).kid).toBe(kid)
    const jwks = await b.admin('get', '/.well-known/jwks.json')
    expect((jwks.body.keys as Array<{ kid: string }>).map((k) => k.kid)).toContain(kid)
    const token = await a.token(client)
    expect(decodeProtectedHeader(token).kid).toBe(kid)
    expect((await b.api(INSEE_PATH, token)).status).toBe(200)
  })
})
