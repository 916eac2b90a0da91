import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { declaration, DECLARATIONS, DOUANE } from '../resources/harness.js'
import { startReplicas, type Replica, type ReplicaSet } from './replicas.js'

// Two sandbox processes on one real Redis serving the Douane-shaped contract: a declaration written
// through one is read, listed, replaced and deleted through the other.
let set: ReplicaSet
let a: Replica
let b: Replica
beforeAll(async () => {
  set = await startReplicas({ args: ['--contract', DOUANE, '--rate-limits', 'off'] })
  ;[a, b] = set.replicas as [Replica, Replica]
})
afterAll(() => set?.stop())

const on = (r: Replica, token: string) => ({
  get: (path: string) => request(r.url).get(path).set('authorization', `Bearer ${token}`),
  post: (path: string, body?: object) =>
    request(r.url).post(path).set('authorization', `Bearer ${token}`).send(body),
  put: (path: string, body: object) =>
    request(r.url).put(path).set('authorization', `Bearer ${token}`).send(body),
  delete: (path: string) => request(r.url).delete(path).set('authorization', `Bearer ${token}`),
})

describe('resources on two replicas sharing Redis', () => {
  it('creates on A, reads, lists, replaces on B, deletes on A', async () => {
    const client = await set.client({ privileges: ['declarations_edi'] })
    // One token from each replica (each issues tokens under its own address).
    const token = await a.token(client)
    const tokenB = await b.token(client)
    const created = await on(a, token).post(DECLARATIONS, declaration())
    expect(created.status).toBe(201)
    const path = `${DECLARATIONS}/${created.body.id_declaration}`
    const read = await on(b, tokenB).get(path)
    expect(read.status).toBe(200)
    expect(read.body).toEqual(created.body)
    expect((await on(b, tokenB).get(DECLARATIONS)).body.pagination.total).toBe(1)
    const replaced = await on(b, tokenB)
      .put(path, declaration({ periode: '2026-05' }))
      .set('if-match', read.headers.etag as string)
    expect(replaced.status).toBe(200)
    expect((await on(a, token).get(path)).body.periode).toBe('2026-05')
    expect((await on(a, token).delete(path)).status).toBe(204)
    expect((await on(b, tokenB).get(path)).status).toBe(404)
  })

  it('answers one Idempotency-Key raced to A and B with one resource', async () => {
    const client = await set.client({ privileges: ['declarations_edi'] })
    const tokens = new Map([
      [a, await a.token(client)],
      [b, await b.token(client)],
    ])
    const answers = await Promise.all(
      [a, b, a, b].map((r) =>
        on(r, tokens.get(r)!).post(DECLARATIONS, declaration()).set('idempotency-key', 'race-1'),
      ),
    )
    const created = answers.filter((r) => r.status === 201)
    expect(created.length).toBeGreaterThanOrEqual(1)
    expect(new Set(created.map((r) => r.body.id_declaration)).size).toBe(1)
    // A replay that arrived while the first was being answered is told to retry (409), never served twice.
    for (const r of answers) expect([201, 409]).toContain(r.status)
    expect((await on(b, tokens.get(b)!).get(DECLARATIONS)).body.pagination.total).toBe(1)
    const later = await on(b, tokens.get(b)!)
      .post(DECLARATIONS, declaration())
      .set('idempotency-key', 'race-1')
    expect(later.status).toBe(201)
    expect(later.body.id_declaration).toBe(created[0]!.body.id_declaration)
  })
})
