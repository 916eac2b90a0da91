import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import {
  ADMIN,
  authSandbox,
  basicAuth,
  callApi,
  getToken,
  INSEE_PATH,
  makeClient,
} from '../auth/helpers.js'

const ID = 'reborn-client'
const SECRET = 'Reborn-Secret-0123!'

interface Entry {
  kind: string
  jti?: string
  status?: number
  at: string
}

/** A client's journal as the client reads it with its own credentials. */
async function ownJournal(s: Sandbox): Promise<Entry[]> {
  const res = await request(s.app)
    .get('/__sandbox/journal')
    .set('authorization', basicAuth(ID, SECRET))
  expect(res.status).toBe(200)
  return (res.body as { entries: Entry[] }).entries
}

/**
 * A client id deleted then created again is another identity: the earlier client's tokens (OAuth and
 * portal) are refused, and the new client sees none of the earlier client's journal entries, nor the
 * refused attempts made with its old tokens.
 */
describe('a client id given again is not the same identity', () => {
  let s: Sandbox
  let oauth = ''
  let portal = ''
  beforeAll(async () => {
    s = await authSandbox()
    const first = await makeClient(s.app, { client_id: ID, client_secret: SECRET })
    oauth = await getToken(s.app, first)
    const minted = await request(s.app)
      .post(`/__sandbox/clients/${ID}/tokens`)
      .set('authorization', `Bearer ${ADMIN}`)
      .send({ lifetime: '1y' })
    expect(minted.status).toBe(201)
    portal = (minted.body as { token: string }).token
    expect((await callApi(s.app, INSEE_PATH, oauth)).status).toBe(200)
    expect((await callApi(s.app, INSEE_PATH, portal)).status).toBe(200)
    expect((await ownJournal(s)).length).toBeGreaterThanOrEqual(3)

    const deleted = await request(s.app)
      .delete(`/__sandbox/clients/${ID}`)
      .set('authorization', `Bearer ${ADMIN}`)
    expect(deleted.status).toBeLessThan(300)
    // Someone else is given the same id, with the same secret even.
    await makeClient(s.app, { client_id: ID, client_secret: SECRET })
  })
  afterAll(() => s.close())

  it("refuses the deleted client's OAuth and portal tokens", async () => {
    for (const token of [oauth, portal]) {
      const res = await callApi(s.app, INSEE_PATH, token)
      expect(res.status).toBe(401)
      expect(String(res.headers['www-authenticate'])).toContain('no longer exists')
    }
    const introspected = await request(s.app)
      .post('/oauth/introspect')
      .set('authorization', basicAuth(ID, SECRET))
      .type('form')
      .send({ token: oauth })
    expect(introspected.body).toMatchObject({ active: false })
  })

  it('serves the new client with its own tokens', async () => {
    const token = await getToken(s.app, { clientId: ID, clientSecret: SECRET })
    expect((await callApi(s.app, INSEE_PATH, token)).status).toBe(200)
  })

  it("shows the new client none of the earlier client's entries, nor the old tokens' refusals", async () => {
    const entries = await ownJournal(s)
    const jtiOf = (t: string): string =>
      (JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()) as { jti: string }).jti
    const old = new Set([jtiOf(oauth), jtiOf(portal)])
    expect(entries.filter((e) => e.jti !== undefined && old.has(e.jti))).toEqual([])
    // Its own creation, token and call only.
    expect(entries.map((e) => `${e.kind} ${e.status ?? ''}`.trim())).toEqual([
      'auth-event',
      'token 200',
      'api 200',
    ])

    // The admin naming the client sees the current client's entries too; the whole journal keeps all.
    const named = await request(s.app)
      .get('/__sandbox/journal')
      .query({ client: ID })
      .set('authorization', `Bearer ${ADMIN}`)
    expect((named.body as { entries: Entry[] }).entries).toHaveLength(3)
    const all = await request(s.app)
      .get('/__sandbox/journal')
      .set('authorization', `Bearer ${ADMIN}`)
    const jtis = (all.body as { entries: Entry[] }).entries.map((e) => e.jti)
    expect(jtis).toContain(jtiOf(oauth))
  })
})
