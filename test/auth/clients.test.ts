import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import { ADMIN, authSandbox, basicAuth, getToken, makeClient, SIRET } from './helpers.js'

describe('sandbox clients', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await authSandbox()
  })
  afterAll(() => sandbox.close())
  const admin = (r: request.Test) => r.set('authorization', `Bearer ${ADMIN}`)

  it('creates a client with defaults and shows its secret once', async () => {
    const res = await admin(request(sandbox.app).post('/__sandbox/clients')).send({
      label: 'Mairie',
      siret: SIRET,
      privileges: ['open_data'],
    })
    expect(res.status).toBe(201)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.body).toMatchObject({
      label: 'Mairie',
      siret: SIRET,
      privileges: ['open_data'],
      token_lifetime: 300,
      single_use: false,
      basic_auth: false,
      status: 'green',
    })
    expect(res.body.client_id).toMatch(/^cli_[0-9a-f]{16}$/)
    expect(typeof res.body.client_secret).toBe('string')
    expect(Date.parse(res.body.secret_expires_at)).toBeGreaterThan(Date.now() + 364 * 86_400_000)
    const shown = await admin(request(sandbox.app).get(`/__sandbox/clients/${res.body.client_id}`))
    expect(shown.status).toBe(200)
    expect(shown.body).not.toHaveProperty('client_secret')
    expect(JSON.stringify(shown.body)).not.toContain(res.body.client_secret)
  })

  it('stores the secret only as a scrypt hash', async () => {
    const made = await makeClient(sandbox.app, { client_id: 'hash-check' })
    const stored = await sandbox.context.store.global.entries<Record<string, unknown>>('clients')
    const record = stored.find(([id]) => id === 'hash-check')![1]
    expect(String(record.secretHash)).toMatch(/^scrypt\$16384\$8\$1\$/)
    expect(JSON.stringify(stored)).not.toContain(made.clientSecret)
  })

  it('accepts a chosen secret that follows the Douane rule', async () => {
    const made = await makeClient(sandbox.app, {
      client_id: 'chosen',
      client_secret: 'Correct-Horse-42',
    })
    expect(made.clientSecret).toBe('Correct-Horse-42')
    await expect(getToken(sandbox.app, made)).resolves.toMatch(/^ey/)
  })

  it.each([
    ['Short-1a', 'at least 12 characters'],
    ['alllowercase-12', 'an upper-case letter'],
    ['ALLUPPERCASE-12', 'a lower-case letter'],
    ['No-Digits-Here', 'a digit'],
    ['NoSpecial12345', 'a special character'],
  ])('answers 400 with the rule spelled out for the weak secret %s', async (secret, lacking) => {
    const res = await admin(request(sandbox.app).post('/__sandbox/clients')).send({
      siret: SIRET,
      client_secret: secret,
    })
    expect(res.status).toBe(400)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.body.detail).toContain(
      '12+ characters mixing upper case, lower case, digits and special characters',
    )
    expect(res.body.detail).toContain(lacking)
  })

  it('refuses invalid settings with the rule to follow', async () => {
    const bad = [
      [{ siret: '12345678901234' }, 'valid SIRET'],
      [{ token_lifetime: 5 }, 'from 10 to 86400'],
      [{ privileges: ['no_such_privilege'] }, 'unknown privilege(s) no_such_privilege'],
      [{ single_use: 'yes' }, 'single_use must be true or false'],
      [{ colour: 'red' }, 'unknown field(s) colour'],
      [{ client_id: 'a b' }, 'client_id must be'],
    ] as const
    for (const [body, message] of bad) {
      const res = await admin(request(sandbox.app).post('/__sandbox/clients')).send(body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.detail).toContain(message)
    }
  })

  it('answers 409 when the client id is taken', async () => {
    await makeClient(sandbox.app, { client_id: 'taken' })
    const res = await admin(request(sandbox.app).post('/__sandbox/clients')).send({
      client_id: 'taken',
    })
    expect(res.status).toBe(409)
  })

  it('lists, updates and deletes clients with the admin token', async () => {
    await makeClient(sandbox.app, { client_id: 'lifecycle' })
    const list = await admin(request(sandbox.app).get('/__sandbox/clients'))
    expect(list.body.clients.map((c: { client_id: string }) => c.client_id)).toContain('lifecycle')
    const patched = await admin(request(sandbox.app).patch('/__sandbox/clients/lifecycle')).send({
      token_lifetime: 60,
      single_use: true,
      label: 'Renamed',
    })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ token_lifetime: 60, single_use: true, label: 'Renamed' })
    const noSecret = await admin(request(sandbox.app).patch('/__sandbox/clients/lifecycle')).send({
      client_secret: 'Correct-Horse-42',
    })
    expect(noSecret.status).toBe(400)
    expect((await admin(request(sandbox.app).delete('/__sandbox/clients/lifecycle'))).status).toBe(
      204,
    )
    expect((await admin(request(sandbox.app).get('/__sandbox/clients/lifecycle'))).status).toBe(404)
    expect((await admin(request(sandbox.app).delete('/__sandbox/clients/lifecycle'))).status).toBe(
      404,
    )
  })

  it('refuses client management without the admin token', async () => {
    expect((await request(sandbox.app).post('/__sandbox/clients').send({})).status).toBe(401)
    expect((await request(sandbox.app).get('/__sandbox/clients')).status).toBe(401)
  })

  it('lets a client read itself, and only itself, with its own credentials', async () => {
    const me = await makeClient(sandbox.app, { client_id: 'self-reader' })
    const other = await makeClient(sandbox.app, { client_id: 'someone-else' })
    const own = await request(sandbox.app)
      .get('/__sandbox/clients/self-reader')
      .set('authorization', basicAuth(me.clientId, me.clientSecret))
    expect(own.status).toBe(200)
    expect(own.body.client_id).toBe('self-reader')
    const theirs = await request(sandbox.app)
      .get(`/__sandbox/clients/${other.clientId}`)
      .set('authorization', basicAuth(me.clientId, me.clientSecret))
    expect(theirs.status).toBe(403)
    const wrong = await request(sandbox.app)
      .get('/__sandbox/clients/self-reader')
      .set('authorization', basicAuth(me.clientId, 'Wrong-Secret-99'))
    expect(wrong.status).toBe(401)
  })

  it('makes a demo client with every known privilege, whose printed secret works', async () => {
    const demo = sandbox.demoClient!
    expect(demo.clientId).toBe('demo')
    expect(demo.privileges).toEqual(
      expect.arrayContaining([
        'unites_legales_etablissements_insee',
        'attestation_sociale_urssaf',
        'open_data',
        'unites_legales_donnees_protegees',
      ]),
    )
    await expect(
      getToken(sandbox.app, { clientId: demo.clientId, clientSecret: demo.clientSecret }),
    ).resolves.toMatch(/^ey/)
  })

  it('gives the demo client a new secret at each start', async () => {
    const other = await authSandbox()
    expect(other.demoClient!.clientSecret).not.toBe(sandbox.demoClient!.clientSecret)
    await other.close()
    const none = await authSandbox({ demoClient: false })
    expect(none.demoClient).toBeUndefined()
    expect(await none.context.auth.getClient('demo')).toBeUndefined()
    await none.close()
  })
})
