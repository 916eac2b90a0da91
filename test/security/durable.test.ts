import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { API_PATH, basic, serve, stateDir, type Served } from './helpers.js'

const SECRET = 'Durable-Secret-0123!'
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

/** A client made through the admin API with a known secret. */
async function makeClient(
  s: Served,
  id: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const res = await s.admin('POST', '/__sandbox/clients', {
    client_id: id,
    client_secret: SECRET,
    privileges: ['unites_legales_etablissements_insee'],
    ...extra,
  })
  expect(res.status).toBe(201)
}

async function tokenOf(s: Served, id: string, secret = SECRET): Promise<Response> {
  return s.call('/oauth/token', {
    method: 'POST',
    headers: { authorization: basic(id, secret), ...FORM },
    body: 'grant_type=client_credentials',
  })
}

async function token(s: Served, id: string): Promise<string> {
  const res = await tokenOf(s, id)
  expect(res.status).toBe(200)
  return ((await res.json()) as { access_token: string }).access_token
}

const api = (s: Served, t: string): Promise<Response> =>
  s.call(API_PATH, { headers: { authorization: `Bearer ${t}` } })

/**
 * Each change the sandbox confirms, made on a real process that is killed with SIGKILL as soon as the
 * answer arrives (no flush, no shutdown hook), then found again after a restart on the same state.
 */
describe('durable before acknowledged: SIGKILL right after each confirmed change', () => {
  const state = join(stateDir(), 'state.json')
  let s: Served

  /** Does `act` (which reads the confirming answer), kills at once, restarts. */
  const killAfter = async (act: () => Promise<void>): Promise<void> => {
    await act()
    await s.stop('SIGKILL')
    s = await serve(state)
  }

  it('keeps a created, updated, rotated, revoked, consumed and deleted state across kills', async () => {
    s = await serve(state)
    try {
      await killAfter(() => makeClient(s, 'made-then-killed'))
      expect((await tokenOf(s, 'made-then-killed')).status).toBe(200)

      await killAfter(async () => {
        const res = await s.admin('PATCH', '/__sandbox/clients/made-then-killed', {
          label: 'after kill',
        })
        expect(res.status).toBe(200)
      })
      const shown = await s.admin('GET', '/__sandbox/clients/made-then-killed')
      expect(((await shown.json()) as { label: string }).label).toBe('after kill')

      // A revoked token stays revoked.
      const revoked = await token(s, 'made-then-killed')
      await killAfter(async () => {
        const res = await s.call('/oauth/revoke', {
          method: 'POST',
          headers: { authorization: basic('made-then-killed', SECRET), ...FORM },
          body: new URLSearchParams({ token: revoked }).toString(),
        })
        expect(res.status).toBe(200)
      })
      const afterRevoke = await api(s, revoked)
      expect(afterRevoke.status).toBe(401)

      // A consumed single-use token does not replay.
      await makeClient(s, 'single-use-client', { single_use: true })
      const once = await token(s, 'single-use-client')
      await killAfter(async () => {
        expect((await api(s, once)).status).toBe(200)
      })
      expect((await api(s, once)).status).toBe(401)

      // A rotated secret: the new one works, the old one does not (no overlap asked).
      let rotated = ''
      await killAfter(async () => {
        const res = await s.admin('POST', '/__sandbox/clients/made-then-killed/secret', {
          overlap: 0,
        })
        expect(res.status).toBe(200)
        rotated = ((await res.json()) as { client_secret: string }).client_secret
      })
      expect((await tokenOf(s, 'made-then-killed', rotated)).status).toBe(200)
      expect((await tokenOf(s, 'made-then-killed', SECRET)).status).toBe(401)

      // A rotated signing key.
      let kid = ''
      await killAfter(async () => {
        const res = await s.admin('POST', '/__sandbox/keys/rotate')
        expect(res.status).toBe(200)
        kid = ((await res.json()) as { kid: string }).kid
      })
      const jwks = (await (await s.call('/.well-known/jwks.json')).json()) as {
        keys: Array<{ kid: string }>
      }
      expect(jwks.keys.map((k) => k.kid)).toContain(kid)
      const signed = await token(s, 'single-use-client')
      expect(JSON.parse(Buffer.from(signed.split('.')[0]!, 'base64url').toString()).kid).toBe(kid)

      // A revoked secret.
      await killAfter(async () => {
        const res = await s.admin('DELETE', '/__sandbox/clients/made-then-killed/secret')
        expect(res.status).toBe(200)
      })
      expect((await tokenOf(s, 'made-then-killed', rotated)).status).toBe(401)

      // A deleted client.
      await killAfter(async () => {
        const res = await s.admin('DELETE', '/__sandbox/clients/single-use-client')
        expect(res.status).toBeLessThan(300)
      })
      expect((await s.admin('GET', '/__sandbox/clients/single-use-client')).status).toBe(404)
    } finally {
      await s.stop()
    }
  }, 120_000)

  it('keeps a ban confirmed by GET /__sandbox/bans across a kill', async () => {
    s = await serve(state)
    try {
      await makeClient(s, 'banned-then-killed')
      const t = await token(s, 'banned-then-killed')
      // The scenario bans the client from this address at this call, which gets no answer at all.
      const held = s
        .call(API_PATH, {
          headers: { authorization: `Bearer ${t}`, prefer: 'scenario=ip-ban' },
          signal: AbortSignal.timeout(30_000),
        })
        .catch(() => undefined)
      const listed = async (): Promise<Array<{ ip: string; reason: string }>> => {
        const res = await s.admin('GET', '/__sandbox/bans?client_id=banned-then-killed')
        return ((await res.json()) as { bans: Array<{ ip: string; reason: string }> }).bans
      }
      // Killed the moment the ban is confirmed.
      await killAfter(async () => {
        await expect.poll(listed, { timeout: 20_000, interval: 20 }).toHaveLength(1)
      })
      void held
      expect(await listed()).toMatchObject([{ reason: 'scenario' }])
      // And it is enforced: a call from the banned address gets no answer.
      const after = await s
        .call(API_PATH, {
          headers: { authorization: `Bearer ${t}` },
          signal: AbortSignal.timeout(1500),
        })
        .then(
          (res) => `answered ${res.status}`,
          (err: unknown) => (err as Error).name,
        )
      expect(after).toBe('TimeoutError')
    } finally {
      await s.stop()
    }
  }, 120_000)

  it('creates the state folder 0700 and its files 0600', async () => {
    const own = join(stateDir(), 'nested', 'state.json')
    const served = await serve(own)
    await served.stop()
    expect(statSync(join(own, '..')).mode & 0o777).toBe(0o700)
    expect(statSync(own).mode & 0o777).toBe(0o600)
  })

  it('a second sandbox on the same folder exits 2 and names the process that holds it', async () => {
    const first = await serve(state)
    try {
      const { runCli } = await import('../helpers/cli.js')
      const second = await runCli([
        'serve',
        '--port',
        '0',
        '--state',
        state,
        '--admin-token',
        'x'.repeat(20),
      ])
      expect(second.code).toBe(2)
      expect(second.stderr).toContain(`pid ${first.child.pid}`)
    } finally {
      await first.stop()
    }
  })
})
