import { randomUUID } from 'node:crypto'
import {
  base64url,
  exportSPKI,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import {
  authSandbox,
  basicAuth,
  callApi,
  firstError,
  getToken,
  INSEE_PATH,
  makeClient,
  type MadeClient,
} from './helpers.js'

const enc = (value: unknown): string => base64url.encode(JSON.stringify(value))

describe('bad tokens and bad requests', () => {
  let sandbox: Sandbox
  let client: MadeClient
  let good: string
  let claims: JWTPayload
  let kid: string
  beforeAll(async () => {
    sandbox = await authSandbox()
    client = await makeClient(sandbox.app)
    good = await getToken(sandbox.app, client)
    claims = JSON.parse(Buffer.from(good.split('.')[1]!, 'base64url').toString()) as JWTPayload
    kid = (JSON.parse(Buffer.from(good.split('.')[0]!, 'base64url').toString()) as { kid: string })
      .kid
  })
  afterAll(() => sandbox.close())

  /** Signs claims with the sandbox's own active key: only the claims are wrong. */
  const signOwn = async (
    payload: JWTPayload,
    header: Record<string, unknown> = {},
  ): Promise<string> => {
    const key = await sandbox.context.auth.keys.active()
    return new SignJWT(payload)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header })
      .sign(key.privateKey)
  }
  /** Calls an operation with the token and checks the 401 00101 and the reason given. */
  const expectRefused = async (token: string, reason: RegExp): Promise<void> => {
    const res = await callApi(sandbox.app, INSEE_PATH, token)
    expect(res.status).toBe(401)
    expect(firstError(res.body).code).toBe('00101')
    expect(res.headers['www-authenticate']).toMatch(reason)
    expect(res.text).not.toMatch(/\bat .+\.(js|ts):\d+/)
  }
  /** Bad tokens made from the good one, each with the reason its refusal gives. */
  const algNone = (): [string, RegExp] => [
    `${enc({ alg: 'none', typ: 'at+jwt', kid })}.${enc(claims)}.`,
    /algorithm is not accepted/,
  ]
  const tampered = (): [string, RegExp] => {
    const [h, , s] = good.split('.')
    return [
      `${h}.${enc({ ...claims, scopes: ['attestation_fiscale_dgfip'] })}.${s}`,
      /signature does not verify/,
    ]
  }
  const badSignature = (): [string, RegExp] => {
    const [h, p] = good.split('.')
    return [
      `${h}.${p}.${base64url.encode(new Uint8Array(64).fill(7))}`,
      /signature does not verify/,
    ]
  }
  const tooLong = (): [string, RegExp] => [`${good}${'A'.repeat(8_000)}`, /too long/]

  it('refuses alg: none', async () => {
    await expectRefused(...algNone())
  })

  it('refuses an HS256 token signed with the public key as secret (algorithm confusion)', async () => {
    const jwks = (await request(sandbox.app).get('/.well-known/jwks.json')).body as { keys: JWK[] }
    const pem = await exportSPKI(
      (await importJWK(jwks.keys[0]!, 'ES256', { extractable: true })) as CryptoKey,
    )
    for (const secret of [pem, JSON.stringify(jwks.keys[0])]) {
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' })
        .sign(new TextEncoder().encode(secret))
      await expectRefused(token, /algorithm is not accepted/)
    }
  })

  it('refuses a tampered payload', async () => {
    await expectRefused(...tampered())
  })

  it('refuses a bad signature', async () => {
    await expectRefused(...badSignature())
  })

  it('refuses a wrong issuer and a wrong audience, even when signed by the sandbox key', async () => {
    await expectRefused(
      await signOwn({ ...claims, iss: 'https://entreprise.api.gouv.fr' }),
      /another issuer/,
    )
    await expectRefused(await signOwn({ ...claims, aud: 'another-api' }), /another audience/)
  })

  it('refuses a token whose nbf is in the future', async () => {
    const nbf = Math.floor(Date.now() / 1000) + 3600
    await expectRefused(await signOwn({ ...claims, nbf, jti: randomUUID() }), /not valid yet/)
  })

  it('refuses a JWT that is not an access token (typ)', async () => {
    await expectRefused(await signOwn(claims, { typ: 'JWT' }), /typ must be at\+jwt/)
  })

  it('refuses a token without the required claims', async () => {
    const rest = { ...claims }
    delete rest.scopes
    await expectRefused(await signOwn(rest), /lacks a required claim/)
  })

  it('refuses malformed base64', async () => {
    await expectRefused('eyJhbGciOiJFUzI1NiJ9.$$$.abc', /not a well-formed/)
    await expectRefused('abc.def.ghi', /not a well-formed/)
    await expectRefused(
      `${enc({ alg: 'ES256', typ: 'at+jwt', kid })}.bm90LWpzb24.${good.split('.')[2]}`,
      /does not verify|not a well-formed/,
    )
  })

  it('refuses an unknown kid without reloading the keys for each attempt', async () => {
    const { privateKey } = await generateKeyPair('ES256')
    const foreign = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'not-ours', typ: 'at+jwt' })
      .sign(privateKey)
    await expectRefused(foreign, /kid/)
    const ownKeyWrongKid = await signOwn(claims, { kid: 'not-ours-either' })
    await expectRefused(ownKeyWrongKid, /kid/)
  })

  it('refuses an 8 KB and a 100 KB token without parsing them, in the contract shape', async () => {
    await expectRefused(...tooLong())
    const huge = `eyJ${'A'.repeat(100_000)}.e30.`
    // A listening sandbox accepts 16 KiB of headers: a token under it is answered in the contract's
    // shape, a larger one by Node's parser with 431, before any stage.
    const { url } = await sandbox.listen(0)
    const big = `eyJ${'A'.repeat(12_000)}.e30.`
    const res = await request(url).get('/privileges').set('authorization', `Bearer ${big}`)
    expect(res.status).toBe(401)
    expect(res.body.errors[0].code).toBe('00101')
    expect(res.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/)
    const over = await fetch(`${url}/privileges`, { headers: { authorization: `Bearer ${huge}` } })
    expect(over.status).toBe(431)
    const form = await request(sandbox.app)
      .post('/oauth/introspect')
      .set('authorization', basicAuth(client.clientId, client.clientSecret))
      .type('form')
      .send({ token: huge })
    expect(form.status).toBe(413)
    expect(form.body.error).toBe('invalid_request')
    expect((await callApi(sandbox.app, INSEE_PATH, good)).status).toBe(200)
  })

  it('answers a JWKS flood with 429 and Retry-After, per address, then serves again', async () => {
    let now = Date.now()
    const flooded = await authSandbox({ now: () => now, tokens: { jwksPerMinute: 20 } })
    const statuses: number[] = []
    for (let i = 0; i < 25; i++)
      statuses.push((await request(flooded.app).get('/.well-known/jwks.json')).status)
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true)
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true)
    const limited = await request(flooded.app).get('/.well-known/oauth-authorization-server')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    // The API and the token endpoint are not affected.
    const demo = flooded.demoClient!
    const token = await getToken(flooded.app, {
      clientId: demo.clientId,
      clientSecret: demo.clientSecret,
    })
    expect((await callApi(flooded.app, INSEE_PATH, token)).status).toBe(200)
    now += 60_000
    expect((await request(flooded.app).get('/.well-known/jwks.json')).status).toBe(200)
    await flooded.close()
  })

  it('keeps serving the good token after a run of bad ones', async () => {
    const bad = [
      algNone(),
      tampered(),
      badSignature(),
      tooLong(),
      ['abc.def.ghi', /not a well-formed/] as [string, RegExp],
      [await signOwn(claims, { kid: 'not-ours-either' }), /kid/] as [string, RegExp],
      [await signOwn({ ...claims, aud: 'another-api' }), /another audience/] as [string, RegExp],
    ]
    for (let round = 0; round < 3; round++)
      for (const [token, reason] of bad) await expectRefused(token, reason)
    const res = await request(sandbox.app).get('/privileges').set('authorization', `Bearer ${good}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ privileges: ['unites_legales_etablissements_insee'] })
    expect((await callApi(sandbox.app, INSEE_PATH, good)).status).toBe(200)
  })
})
