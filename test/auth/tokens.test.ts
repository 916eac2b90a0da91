import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JSONWebKeySet,
} from 'jose'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import { tempFiles } from '../helpers/temp-files.js'
import { ADMIN, authSandbox, getToken, makeClient, type MadeClient } from './helpers.js'

const privileges = (app: Sandbox['app'], token: string) =>
  request(app).get('/privileges').set('authorization', `Bearer ${token}`)

describe('access tokens', () => {
  let sandbox: Sandbox
  let client: MadeClient
  beforeAll(async () => {
    sandbox = await authSandbox()
    client = await makeClient(sandbox.app, {
      privileges: ['open_data', 'attestation_sociale_urssaf'],
    })
  })
  afterAll(() => sandbox.close())

  it('signs ES256 JWTs with a kid and the claims API Entreprise tokens carry', async () => {
    const token = await getToken(sandbox.app, client)
    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'ES256',
      kid: expect.any(String),
      typ: 'at+jwt',
    })
    const claims = decodeJwt(token)
    expect(claims).toMatchObject({
      iss: 'http://127.0.0.1:8080',
      aud: 'sandbox-twin',
      sub: client.clientId,
      client_id: client.clientId,
      scopes: ['open_data', 'attestation_sociale_urssaf'],
    })
    expect(claims.exp! - claims.iat!).toBe(300)
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('publishes the public keys as a JWKS that verifies the tokens', async () => {
    const token = await getToken(sandbox.app, client)
    const res = await request(sandbox.app).get('/.well-known/jwks.json')
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toBe('public, max-age=300')
    const jwks = res.body as JSONWebKeySet
    // One token key, and the key that signs certification attestations.
    expect(jwks.keys).toHaveLength(2)
    expect(jwks.keys[1]).toMatchObject({
      alg: 'ES256',
      kid: expect.stringMatching(/^attestation-/),
    })
    expect(jwks.keys[0]).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      alg: 'ES256',
      use: 'sig',
      kid: decodeProtectedHeader(token).kid,
    })
    expect(jwks.keys[0]).not.toHaveProperty('d')
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: 'http://127.0.0.1:8080',
      audience: 'sandbox-twin',
    })
    expect(payload.sub).toBe(client.clientId)
  })

  it('publishes RFC 8414 metadata that names every endpoint', async () => {
    const res = await request(sandbox.app).get('/.well-known/oauth-authorization-server')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      issuer: 'http://127.0.0.1:8080',
      token_endpoint: 'http://127.0.0.1:8080/oauth/token',
      jwks_uri: 'http://127.0.0.1:8080/.well-known/jwks.json',
      revocation_endpoint: 'http://127.0.0.1:8080/oauth/revoke',
      introspection_endpoint: 'http://127.0.0.1:8080/oauth/introspect',
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    })
    expect(res.body.scopes_supported).toContain('attestation_sociale_urssaf')
  })

  it('lets a single-use token (single_use=true) serve one call, then answers 401', async () => {
    const token = await getToken(sandbox.app, client, { single_use: 'true' })
    expect(decodeJwt(token).single_use).toBe(true)
    expect((await privileges(sandbox.app, token)).status).toBe(200)
    const again = await privileges(sandbox.app, token)
    expect(again.status).toBe(401)
    expect(again.body.errors[0].code).toBe('00103')
    expect(again.headers['www-authenticate']).toContain('already been used')
  })

  it('makes every token of a single-use client single-use', async () => {
    const once = await makeClient(sandbox.app, { single_use: true, privileges: ['open_data'] })
    const token = await getToken(sandbox.app, once)
    expect((await privileges(sandbox.app, token)).status).toBe(200)
    expect((await privileges(sandbox.app, token)).status).toBe(401)
  })

  it('lets only one of two racing calls use a single-use token', async () => {
    const token = await getToken(sandbox.app, client, { single_use: 'true' })
    const results = await Promise.all([
      privileges(sandbox.app, token),
      privileges(sandbox.app, token),
      privileges(sandbox.app, token),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401])
  })

  it('gives tokens the client lifetime', async () => {
    const short = await makeClient(sandbox.app, { token_lifetime: 10, privileges: ['open_data'] })
    const claims = decodeJwt(await getToken(sandbox.app, short))
    expect(claims.exp! - claims.iat!).toBe(10)
  })

  it.each(['RS256', 'EdDSA'] as const)('signs with %s when configured', async (algorithm) => {
    const other = await authSandbox({ tokens: { algorithm } })
    const token = await getToken(other.app, {
      clientId: 'demo',
      clientSecret: other.demoClient!.clientSecret,
    })
    expect(decodeProtectedHeader(token).alg).toBe(algorithm)
    expect((await privileges(other.app, token)).status).toBe(200)
    await other.close()
  })
})

describe('signing keys', () => {
  it('persist across restarts in the state store, so earlier tokens stay valid', async () => {
    const state = `${tempFiles({})}/state.json`
    const first = await authSandbox({ state })
    const client = await makeClient(first.app, {
      client_id: 'persistent',
      privileges: ['open_data'],
    })
    const token = await getToken(first.app, client)
    await first.close()
    const second = await authSandbox({ state })
    expect((await privileges(second.app, token)).status).toBe(200)
    await expect(getToken(second.app, client)).resolves.toMatch(/^ey/)
    await second.close()
  })

  it('keep a rotated-out key in the JWKS until its last token has expired', async () => {
    let now = Date.now()
    // Portal tokens are signed by the same keys: their longest lifetime bounds the key's too.
    const sandbox = await authSandbox({
      now: () => now,
      tokens: { maxLifetime: 600, portalMaxLifetime: 600, portalLifetime: 600 },
    })
    const client = await makeClient(sandbox.app, { privileges: ['open_data'] })
    const before = await getToken(sandbox.app, client)
    const rotated = await request(sandbox.app)
      .post('/__sandbox/keys/rotate')
      .set('authorization', `Bearer ${ADMIN}`)
    expect(rotated.status).toBe(200)
    expect(rotated.body.retired).toBe(decodeProtectedHeader(before).kid)
    const after = await getToken(sandbox.app, client)
    expect(decodeProtectedHeader(after).kid).toBe(rotated.body.kid)
    const tokenKids = (res: request.Response): string[] =>
      (res.body.keys as { kid: string }[])
        .map((k) => k.kid)
        .filter((kid) => !kid.startsWith('attestation-'))
    const jwks = await request(sandbox.app).get('/.well-known/jwks.json')
    expect(tokenKids(jwks).sort()).toEqual([rotated.body.kid, rotated.body.retired].sort())
    expect((await privileges(sandbox.app, before)).status).toBe(200)
    now += 601_000 // past tokens.maxLifetime: the old key's last token is dead
    const later = await request(sandbox.app).get('/.well-known/jwks.json')
    expect(tokenKids(later)).toEqual([rotated.body.kid])
    await sandbox.close()
  })

  it('refuses key rotation without the admin token', async () => {
    const sandbox = await authSandbox()
    expect((await request(sandbox.app).post('/__sandbox/keys/rotate')).status).toBe(401)
    await sandbox.close()
  })
})
