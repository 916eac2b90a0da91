import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import { ADMIN, getToken, makeClient } from '../auth/helpers.js'
import { advance, api, declaration, DECLARATIONS, douaneSandbox } from '../resources/harness.js'
import { careful, naive, startReceiver, type Receiver } from './receiver.js'

let sandbox: Sandbox
let receiver: Receiver
beforeAll(async () => {
  // No poller: each test delivers what is due itself, right after moving the clock. A delivery's
  // timeout is real time: long enough that a loaded machine never makes an answered delivery a
  // timeout, short enough that the one silent receiver below costs only that long.
  sandbox = await douaneSandbox({ callbacks: { pollMs: 0, timeoutMs: 2000 } })
  receiver = await startReceiver(() => 204)
})
afterAll(async () => {
  await sandbox.close()
  await receiver.close()
})

const admin = (method: 'get' | 'put' | 'post' | 'delete', path: string) =>
  request(sandbox.app)[method](path).set('authorization', `Bearer ${ADMIN}`)

async function account(clientId: string, body: Record<string, unknown>) {
  return admin('put', '/__sandbox/callback-account').send({ client_id: clientId, ...body })
}

async function newClient(privileges = ['declarations_edi']) {
  const client = await makeClient(sandbox.app, { privileges })
  return { client, call: api(sandbox.app, await getToken(sandbox.app, client)) }
}

const deliver = (clientId: string) => sandbox.context.callbacks.runDue(clientId)

async function callbackEntries(clientId: string) {
  const res = await admin('get', `/__sandbox/journal?client=${clientId}&kind=callback&limit=1000`)
  expect(res.status).toBe(200)
  return res.body.entries as Array<{
    status?: number
    code?: string
    path: string
    notes: { delivery: string; attempt: number; event: string; resource_status?: string }
  }>
}

async function verdict(clientId: string) {
  const res = await admin('get', `/__sandbox/report?client=${clientId}`)
  expect(res.status).toBe(200)
  const checks = res.body.checks as Array<{ id: string; status: string }>
  return Object.fromEntries(
    checks.filter((c) => c.id.startsWith('callback-')).map((c) => [c.id, c.status]),
  )
}

describe('call-back accounts', () => {
  it('is red without entitlement, yellow until URL and token are set, then green', async () => {
    const bare = await makeClient(sandbox.app, { privileges: [] })
    const red = await admin('get', `/__sandbox/callback-account?client_id=${bare.clientId}`)
    expect(red.body).toMatchObject({ status: 'red', url: null, token_set: false })
    const { client } = await newClient()
    expect(
      (await admin('get', `/__sandbox/callback-account?client_id=${client.clientId}`)).body.status,
    ).toBe('yellow')
    expect((await account(client.clientId, { url: `${receiver.url}/cb` })).body.status).toBe(
      'yellow',
    )
    const green = await account(client.clientId, { token: 'receiver-secret-1' })
    expect(green.body).toMatchObject({
      status: 'green',
      url: `${receiver.url}/cb`,
      token_set: true,
    })
    expect(JSON.stringify(green.body)).not.toContain('receiver-secret-1')
  })

  it('refuses hosts the admin has not allowed, until the admin allows them', async () => {
    const { client } = await newClient()
    const refused = await account(client.clientId, { url: 'http://receiver.example/cb' })
    expect(refused.status).toBe(400)
    expect(refused.body.detail).toMatch(/Allowed hosts: 127\.0\.0\.1, ::1, localhost/)
    const hosts = await admin('put', '/__sandbox/callback-hosts').send({
      hosts: ['127.0.0.1', 'receiver.example'],
    })
    expect(hosts.body.hosts).toEqual(['127.0.0.1', 'receiver.example'])
    expect((await account(client.clientId, { url: 'http://receiver.example/cb' })).status).toBe(200)
    await admin('put', '/__sandbox/callback-hosts').send({
      hosts: ['127.0.0.1', '::1', 'localhost'],
    })
    expect((await account(client.clientId, { url: 'ftp://127.0.0.1/x' })).status).toBe(400)
    expect((await account(client.clientId, { token: 'short' })).status).toBe(400)
    // A client cannot open a host for itself.
    const own = await request(sandbox.app)
      .put('/__sandbox/callback-hosts')
      .auth(client.clientId, client.clientSecret)
      .send({ hosts: ['evil.example'] })
    expect(own.status).toBe(401)
  })
})

describe("call-backs on a declaration's life", () => {
  it('calls back on each status change with the contract payload and the token', async () => {
    receiver.behave(careful('receiver-secret-2'))
    const { client, call } = await newClient()
    await account(client.clientId, { url: `${receiver.url}/hooks/`, token: 'receiver-secret-2' })
    const created = (await call.post(DECLARATIONS, declaration({ reference_operateur: 'CB-1' })))
      .body
    const before = receiver.received.length
    await deliver(client.clientId)
    expect(receiver.received.length).toBe(before)

    await advance(sandbox.app, client.clientId, '30s')
    await deliver(client.clientId)
    const first = receiver.received.slice(before)
    // The event, then (first accepted call-back of this client) the same event again and a wrong token.
    expect(first).toHaveLength(3)
    expect(first[0]).toMatchObject({
      path: '/hooks/notifications/declarations',
      authorization: 'Bearer receiver-secret-2',
      body: {
        id_declaration: created.id_declaration,
        statut: 'en_controle',
        reference_operateur: 'CB-1',
        id_evenement: `${created.id_declaration}.1`,
      },
    })
    expect(Date.parse(first[0]!.body.date_statut as string)).toBe(
      Date.parse(created.date_depot) + 30_000,
    )
    expect(first[1]!.body).toEqual(first[0]!.body)
    expect(first[2]!.authorization).not.toBe('Bearer receiver-secret-2')

    await advance(sandbox.app, client.clientId, '2m')
    await deliver(client.clientId)
    const last = receiver.received.at(-1)!
    expect(['acceptee', 'rejetee']).toContain(last.body.statut)
    expect(last.body.id_evenement).toBe(`${created.id_declaration}.2`)
    const entries = await callbackEntries(client.clientId)
    expect(entries.map((e) => [e.notes.delivery, e.status, e.code])).toEqual([
      ['event', 204, 'delivered'],
      ['redelivery', 204, 'delivered'],
      ['wrong-token', 401, 'refused'],
      ['event', 204, 'delivered'],
    ])
    expect(await verdict(client.clientId)).toEqual({
      'callback-answers': 'pass',
      'callback-idempotent': 'pass',
      'callback-token': 'pass',
    })
  })

  it('judges a naive receiver: it accepts a wrong token and fails on a redelivery', async () => {
    receiver.behave(naive)
    const { client, call } = await newClient()
    await account(client.clientId, { url: receiver.url, token: 'receiver-secret-3' })
    await call.post(DECLARATIONS, declaration())
    await advance(sandbox.app, client.clientId, '30s')
    await deliver(client.clientId)
    expect(await verdict(client.clientId)).toEqual({
      'callback-answers': 'pass',
      'callback-idempotent': 'fail',
      'callback-token': 'fail',
    })
  })

  it('announces a cancellation and nothing the cancellation replaced', async () => {
    receiver.behave(() => 204)
    const { client, call } = await newClient()
    await account(client.clientId, { url: receiver.url, token: 'receiver-secret-4' })
    const id = (await call.post(DECLARATIONS, declaration())).body.id_declaration as string
    await advance(sandbox.app, client.clientId, '10s')
    expect((await call.post(`${DECLARATIONS}/${id}/annulation`)).status).toBe(200)
    const before = receiver.received.length
    await advance(sandbox.app, client.clientId, '1h')
    await deliver(client.clientId)
    const got = receiver.received.slice(before).filter((r) => r.body.id_declaration === id)
    expect([...new Set(got.map((r) => r.body.statut))]).toEqual(['annulee'])
  })

  it('retries a failing or silent receiver with backoff on the client clock, journaling each attempt', async () => {
    const { client, call } = await newClient()
    await account(client.clientId, { url: receiver.url, token: 'receiver-secret-5' })
    let calls = 0
    receiver.behave(() => (++calls === 1 ? 503 : calls === 2 ? 'hang' : 204))
    const id = (await call.post(DECLARATIONS, declaration())).body.id_declaration as string
    await advance(sandbox.app, client.clientId, '30s')
    await deliver(client.clientId)
    expect(calls).toBe(1)
    await deliver(client.clientId)
    expect(calls).toBe(1) // the retry waits 30 s of the client's clock
    await advance(sandbox.app, client.clientId, '30s')
    await deliver(client.clientId)
    expect(calls).toBe(2) // timed out
    await advance(sandbox.app, client.clientId, '1m')
    await deliver(client.clientId)
    expect(calls).toBe(2) // the next retry waits 2 min
    await advance(sandbox.app, client.clientId, '1m')
    await deliver(client.clientId)
    expect(calls).toBeGreaterThanOrEqual(3)
    const events = (await callbackEntries(client.clientId)).filter(
      (e) => e.notes.delivery === 'event' && e.notes.event === `${id}.1`,
    )
    expect(events.map((e) => [e.notes.attempt, e.status ?? null, e.code])).toEqual([
      [1, 503, 'refused'],
      [2, null, 'timeout'],
      [3, 204, 'delivered'],
    ])
    expect((await verdict(client.clientId))['callback-answers']).toBe('fail')
  })

  it('applies a new URL after 4 h and a new token after 15 min of the client clock', async () => {
    const other = await startReceiver(() => 204)
    try {
      receiver.behave(() => 204)
      const { client } = await newClient()
      await account(client.clientId, { url: receiver.url, token: 'token-old-0001' })
      const changed = await account(client.clientId, { url: other.url, token: 'token-new-0001' })
      expect(changed.body).toMatchObject({ url: receiver.url, pending_url: other.url })
      // Five-minute tokens: a new one after each jump of the clock.
      const lastReal = (r: Receiver) =>
        r.received.filter((g) => !g.authorization?.startsWith('Bearer sandbox-wrong-token')).at(-1)
      const post = async () => {
        const call = api(sandbox.app, await getToken(sandbox.app, client))
        await call.post(DECLARATIONS, declaration())
        await advance(sandbox.app, client.clientId, '30s')
        await deliver(client.clientId)
      }
      const oldBefore = receiver.received.length
      await post()
      expect(lastReal(receiver)?.authorization).toBe('Bearer token-old-0001')
      expect(receiver.received.length).toBeGreaterThan(oldBefore)
      await advance(sandbox.app, client.clientId, '15m')
      await post()
      expect(lastReal(receiver)?.authorization).toBe('Bearer token-new-0001')
      expect(other.received).toHaveLength(0)
      await advance(sandbox.app, client.clientId, '4h')
      await post()
      expect(other.received.length).toBeGreaterThan(0)
      expect(lastReal(other)?.authorization).toBe('Bearer token-new-0001')
      const view = await admin('get', `/__sandbox/callback-account?client_id=${client.clientId}`)
      expect(view.body).toMatchObject({ url: other.url, status: 'green' })
      expect(view.body.pending_url).toBeUndefined()
    } finally {
      await other.close()
    }
  })
})
