import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import type { SandboxOptions } from '../../mock/options.js'
import { ADMIN, callApi, getToken, INSEE_PATH, makeClient } from '../auth/helpers.js'
import { stateDir } from './helpers.js'

const STATE_KEY = 'correct horse battery staple 42'

/** Every state file's text: the snapshot and its logs. */
const stateText = (dir: string): string =>
  readdirSync(dir)
    .filter((f) => f.startsWith('state.json'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n')

const kidOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid

const jwksKids = async (app: Sandbox['app']): Promise<string[]> =>
  (
    (await request(app).get('/.well-known/jwks.json')).body as { keys: Array<{ kid: string }> }
  ).keys.map((k) => k.kid)

const admin = (app: Sandbox['app'], method: 'post' | 'delete' | 'get', path: string) =>
  request(app)[method](path).set('authorization', `Bearer ${ADMIN}`)

describe('signing keys at rest and withdrawn', () => {
  const open: Sandbox[] = []
  const start = async (options: SandboxOptions): Promise<Sandbox> => {
    const s = await createSandbox({
      adminToken: ADMIN,
      rateLimits: 'off',
      log: () => undefined,
      ...options,
    })
    open.push(s)
    return s
  }
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close()
  })

  it('seals private keys under the state key: no private key in clear on disk, tokens verify after a restart', async () => {
    const dir = stateDir()
    const state = join(dir, 'state.json')
    let s = await start({ state, stateKey: STATE_KEY })
    const client = await makeClient(s.app)
    const token = await getToken(s.app, client)
    // The attestation key is made on the first JWKS read: sealed as well.
    expect(await jwksKids(s.app)).toHaveLength(2)
    await s.close()
    open.length = 0
    const text = stateText(dir)
    expect(text).toContain('"sealed"')
    expect(text).not.toContain('privateJwk')
    // The private scalar `d` of an EC JWK never appears.
    expect(text).not.toMatch(/"d":"/)

    s = await start({ state, stateKey: STATE_KEY })
    expect((await callApi(s.app, INSEE_PATH, token)).status).toBe(200)
  })

  it('refuses to start without the state key, or with another one, and says what to set', async () => {
    const state = join(stateDir(), 'state.json')
    const s = await start({ state, stateKey: STATE_KEY })
    await s.close()
    open.length = 0
    await expect(start({ state })).rejects.toThrow(/sealed with a state key.*SANDBOX_STATE_KEY/)
    await expect(start({ state, stateKey: 'another key of twenty chars' })).rejects.toThrow(
      /SANDBOX_STATE_KEY does not open/,
    )
    await expect(start({ state, stateKey: 'short' })).rejects.toThrow(/at least 16 characters/)
  })

  it('seals keys kept in clear once a state key is set', async () => {
    const dir = stateDir()
    const state = join(dir, 'state.json')
    let s = await start({ state })
    const client = await makeClient(s.app)
    const token = await getToken(s.app, client)
    await s.close()
    open.length = 0
    expect(stateText(dir)).toContain('privateJwk')
    s = await start({ state, stateKey: STATE_KEY })
    expect((await callApi(s.app, INSEE_PATH, token)).status).toBe(200)
    await s.close()
    open.length = 0
    expect(stateText(dir)).not.toContain('privateJwk')
  })

  it('withdraws the active key at once: its tokens are refused, the JWKS no longer lists it, a new key signs', async () => {
    const s = await start({ state: 'memory' })
    const client = await makeClient(s.app)
    const token = await getToken(s.app, client)
    const leaked = kidOf(token)
    expect((await callApi(s.app, INSEE_PATH, token)).status).toBe(200)

    const res = await admin(s.app, 'delete', `/__sandbox/keys/${leaked}`)
    expect(res.status).toBe(200)
    const body = res.body as { withdrawn: string; active: string }
    expect(body.withdrawn).toBe(leaked)
    expect(body.active).not.toBe(leaked)

    // Verified and cached before: refused all the same.
    const refused = await callApi(s.app, INSEE_PATH, token)
    expect(refused.status).toBe(401)
    expect(String(refused.headers['www-authenticate'])).toContain(
      'signing key (kid) the sandbox does not have',
    )
    expect(await jwksKids(s.app)).not.toContain(leaked)
    const next = await getToken(s.app, client)
    expect(kidOf(next)).toBe(body.active)
    expect((await callApi(s.app, INSEE_PATH, next)).status).toBe(200)

    const again = await admin(s.app, 'delete', `/__sandbox/keys/${leaked}`)
    expect(again.status).toBe(404)
    expect(again.type).toBe('application/problem+json')
  })

  it('withdraws a retired key that still verifies, and the attestation key', async () => {
    const s = await start({ state: 'memory' })
    const client = await makeClient(s.app)
    const old = await getToken(s.app, client)
    const rotated = await admin(s.app, 'post', '/__sandbox/keys/rotate')
    expect(rotated.status).toBe(200)
    expect((await callApi(s.app, INSEE_PATH, old)).status).toBe(200)
    expect((await admin(s.app, 'delete', `/__sandbox/keys/${kidOf(old)}`)).status).toBe(200)
    expect((await callApi(s.app, INSEE_PATH, old)).status).toBe(401)

    const attestation = (await jwksKids(s.app)).find((k) => k.startsWith('attestation-'))!
    const res = await admin(s.app, 'delete', `/__sandbox/keys/${attestation}`)
    expect(res.status).toBe(200)
    const kids = await jwksKids(s.app)
    expect(kids).not.toContain(attestation)
    expect(kids.some((k) => k.startsWith('attestation-'))).toBe(true)
  })

  it('keeps a retired key published for the longest token it signed: a day without portal tokens', async () => {
    let realNow = Date.UTC(2026, 0, 5)
    const s = await start({ state: 'memory', now: () => realNow })
    const client = await makeClient(s.app, { auth_mode: ['oauth', 'portal_token'] })
    const oauthOnly = kidOf(await getToken(s.app, client))
    await admin(s.app, 'post', '/__sandbox/keys/rotate')
    const minted = await admin(s.app, 'post', `/__sandbox/clients/${client.clientId}/tokens`).send({
      lifetime: '6mo',
    })
    expect(minted.status).toBe(201)
    const portal = (minted.body as { token: string }).token
    const portalKid = kidOf(portal)
    await admin(s.app, 'post', '/__sandbox/keys/rotate')
    expect(await jwksKids(s.app)).toEqual(expect.arrayContaining([oauthOnly, portalKid]))

    // Two days on: the key that signed OAuth tokens only (a day at most) is gone; the portal one stays.
    realNow += 2 * 86_400_000 + 31_000
    let kids = await jwksKids(s.app)
    expect(kids).not.toContain(oauthOnly)
    expect(kids).toContain(portalKid)
    expect((await callApi(s.app, INSEE_PATH, portal)).status).toBe(200)

    // Past the portal token's six months: gone too.
    realNow += 190 * 86_400_000
    kids = await jwksKids(s.app)
    expect(kids).not.toContain(portalKid)
  })
})
