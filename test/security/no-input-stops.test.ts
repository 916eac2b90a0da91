import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { API_PATH, ADMIN, basic, demoToken, serve, stateDir, type Served } from './helpers.js'

/** Numbers and dates an attacker tries first: the edges of every numeric type the sandbox meets. */
const EXTREMES: unknown[] = [
  1e308,
  -1e308,
  -1,
  0,
  1.5,
  2 ** 53 + 1,
  8.64e15,
  8.64e15 + 1,
  '1e400',
  'Infinity',
  '-Infinity',
  'NaN',
  '100000000d',
  '99999999999999999999999d',
  '3651d',
  '0.0000001ms',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '1969-12-31T23:59:59Z',
  '2026-02-30T00:00:00Z',
  '',
  ' ',
  'x'.repeat(10_000),
  null,
  true,
  [],
  {},
  [1e308],
  { $gt: 0 },
]

/** Every admin request that takes a number or a date, with the field an extreme value goes into. */
const ADMIN_FIELDS: Array<[string, string, (v: unknown) => unknown]> = [
  ['POST', '/__sandbox/clock', (v) => ({ client_id: 'target', advance: v })],
  ['POST', '/__sandbox/clients', (v) => ({ token_lifetime: v })],
  ['POST', '/__sandbox/clients', (v) => ({ secret_expires_at: v })],
  ['PATCH', '/__sandbox/clients/target', (v) => ({ token_lifetime: v })],
  ['PATCH', '/__sandbox/clients/target', (v) => ({ secret_expires_at: v })],
  [
    'POST',
    '/__sandbox/scenarios',
    (v) => ({ client_id: 'target', scenario: 'burst-429', calls: v }),
  ],
  [
    'POST',
    '/__sandbox/scenarios',
    (v) => ({ client_id: 'target', scenario: 'burst-429', until: v }),
  ],
  ['POST', '/__sandbox/clients/target/secret', (v) => ({ overlap: v })],
  ['PUT', '/__sandbox/rate-limits', (v) => ({ client_id: 'target', limits: v })],
]

const QUERIES = ['from', 'to', 'limit', 'cursor', 'status']

describe('no input stops the process (a real sandbox on a file state)', () => {
  let s: Served
  let state: string
  beforeAll(async () => {
    state = join(stateDir(), 'state.json')
    s = await serve(state)
  })
  afterAll(async () => {
    if (s.alive()) await s.stop()
  })

  it('refuses a clock moved beyond ten years, by the client itself, with a 400 in the admin envelope', async () => {
    const res = await s.call('/__sandbox/clock', {
      method: 'POST',
      headers: {
        authorization: basic(s.demo.id, s.demo.secret),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ advance: '100000000d' }),
    })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/)
    expect(((await res.json()) as { code: string }).code).toBe('invalid-request')
    const near = await s.admin('POST', '/__sandbox/clock', { client_id: 'demo', advance: '30d' })
    expect(near.status).toBe(200)
    const over = await s.admin('POST', '/__sandbox/clock', { client_id: 'demo', advance: '3640d' })
    expect(over.status).toBe(400)
    expect(((await over.json()) as { detail: string }).detail).toMatch(/10 years/)
    const token = await demoToken(s)
    expect((await s.call(API_PATH, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    )
    expect(s.alive()).toBe(true)
  })

  it('survives every admin field and journal filter filled with extreme numbers and dates', async () => {
    const made = await s.admin('POST', '/__sandbox/clients', { client_id: 'target' })
    expect(made.status).toBe(201)
    const statuses = new Set<number>()
    for (const [method, path, body] of ADMIN_FIELDS) {
      for (const v of EXTREMES) {
        const res = await s.admin(method, path, body(v))
        statuses.add(res.status)
        expect(
          res.status,
          `${method} ${path} ${JSON.stringify(body(v)).slice(0, 80)}`,
        ).toBeLessThan(500)
        await res.arrayBuffer()
      }
    }
    for (const name of QUERIES) {
      for (const v of EXTREMES) {
        const q = new URLSearchParams({ [name]: typeof v === 'string' ? v : JSON.stringify(v) })
        const res = await s.admin('GET', `/__sandbox/journal?${q.toString()}`)
        expect(res.status, `journal ${name}=${String(v).slice(0, 40)}`).toBeLessThan(500)
        await res.arrayBuffer()
      }
    }
    // Something was accepted and something refused: the requests reached their handlers.
    expect(statuses.has(400)).toBe(true)
    expect([...statuses].some((c) => c < 300)).toBe(true)
    const token = await demoToken(s)
    expect((await s.call(API_PATH, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    )
    expect(s.alive()).toBe(true)
  })

  it('survives the token endpoint fed extreme form values', async () => {
    for (const v of EXTREMES) {
      const text = typeof v === 'string' ? v : JSON.stringify(v)
      for (const field of ['expires_in', 'scope', 'grant_type', 'single_use', 'audience']) {
        const res = await s.call('/oauth/token', {
          method: 'POST',
          headers: {
            authorization: basic(s.demo.id, s.demo.secret),
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ grant_type: 'client_credentials', [field]: text }).toString(),
        })
        expect(res.status, `${field}=${text.slice(0, 40)}`).toBeLessThan(500)
        await res.arrayBuffer()
      }
    }
    expect(s.alive()).toBe(true)
  })

  it('answers malformed admin JSON with a problem document, never as an API 404', async () => {
    const res = await s.admin('POST', '/__sandbox/clients', '{"client_id": ')
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/)
    const body = (await res.json()) as { code: string; detail: string }
    expect(body.code).toBe('invalid-request')
    expect(body.detail).toMatch(/not valid JSON/)
    const journal = await s.admin('GET', '/__sandbox/journal?limit=1000')
    const entries = ((await journal.json()) as { entries: Array<{ path: string }> }).entries
    expect(entries.some((e) => e.path.startsWith('/__sandbox'))).toBe(false)
  })

  it('starts again on the same state and serves', async () => {
    await s.stop()
    s = await serve(state)
    const token = await demoToken(s)
    expect((await s.call(API_PATH, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    )
  })
})

describe('a state file holding an absurd clock offset', () => {
  it('is read within the bound: the sandbox starts and serves', async () => {
    const dir = stateDir()
    mkdirSync(dir, { recursive: true })
    const state = join(dir, 'state.json')
    const entries = { 'c:demo\u0000clock\u0000offset': { v: 8.64e18 } }
    writeFileSync(state, JSON.stringify({ version: 1, entries }))
    const s = await serve(state)
    try {
      const token = await demoToken(s)
      expect(
        (await s.call(API_PATH, { headers: { authorization: `Bearer ${token}` } })).status,
      ).toBe(200)
      const clock = (await (await s.admin('GET', '/__sandbox/clock?client_id=demo')).json()) as {
        offset_seconds: number
      }
      expect(clock.offset_seconds).toBeLessThanOrEqual(10 * 365 * 86_400)
    } finally {
      await s.stop()
    }
  })
})

describe('validly signed tokens with absurd times', () => {
  let sandbox: Sandbox
  let url: string
  beforeAll(async () => {
    sandbox = await createSandbox({
      state: 'memory',
      adminToken: ADMIN,
      rateLimits: 'off',
      log: () => undefined,
    })
    url = (await sandbox.listen()).url
  })
  afterAll(() => sandbox.close())

  /** A token signed with the sandbox's own active key, claims as given. */
  const forge = async (claims: Record<string, unknown>): Promise<string> => {
    const key = await sandbox.context.auth.keys.active()
    const now = Math.floor(Date.now() / 1000)
    // The demo client's generation: a token without it is refused before its times are judged.
    const generation = (await sandbox.context.auth.getClient('demo'))?.generation
    return new SignJWT({
      client_gen: generation,
      iss: sandbox.context.options.publicUrl,
      aud: sandbox.context.options.tokens.audience,
      sub: 'demo',
      client_id: 'demo',
      jti: `forged-${Math.random()}`,
      scopes: ['unites_legales_etablissements_insee'],
      iat: now,
      exp: now + 60,
      ...claims,
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
      .sign(key.privateKey)
  }
  const call = async (token: string): Promise<{ status: number; code: string; why: string }> => {
    const res = await fetch(`${url}${API_PATH}`, { headers: { authorization: `Bearer ${token}` } })
    const body = (await res.json()) as { errors?: Array<{ code: string }> }
    return {
      status: res.status,
      code: body.errors?.[0]?.code ?? '',
      why: res.headers.get('www-authenticate') ?? '',
    }
  }

  it('refuses each with 00101 and keeps serving', async () => {
    const now = Math.floor(Date.now() / 1000)
    const cases: Array<[string, Record<string, unknown>]> = [
      ['exp 1e308', { exp: 1e308 }],
      ['exp beyond Date', { exp: 8.64e12 + 1 }],
      ['iat negative', { iat: -1e308 }],
      ['nbf huge', { nbf: 1e308 }],
      ['exp before iat', { iat: now, exp: now - 1 + 0.5 }],
      ['iat a year ahead', { iat: now + 365 * 86_400, exp: now + 365 * 86_400 + 60 }],
      ['ten-year lifetime', { iat: now, exp: now + 10 * 365 * 86_400 }],
    ]
    for (const [name, claims] of cases) {
      const r = await call(await forge(claims))
      expect(r.status, name).toBe(401)
      expect(r.code, name).toBe('00101')
    }
    expect((await call(await forge({}))).status).toBe(200)
    // The journal built an entry for each, after the answers: nothing threw on the way.
    await sandbox.context.journal.flush()
    const page = await sandbox.context.journal.query({}, 1000)
    expect(page.entries.filter((e) => e.kind === 'api').length).toBe(cases.length + 1)
  })

  it('says why a future iat and an over-long lifetime are refused', async () => {
    const now = Math.floor(Date.now() / 1000)
    const future = await call(await forge({ iat: now + 86_400, exp: now + 86_400 + 60 }))
    expect(future.why).toMatch(/issued in the future/)
    const long = await call(await forge({ iat: now, exp: now + 86_400 }))
    expect(long.why).toMatch(/lives longer/)
  })
})
