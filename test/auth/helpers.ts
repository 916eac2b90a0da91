import request from 'supertest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { luhnComplete } from '../../mock/data/identifiers.js'
import type { SandboxOptions } from '../../mock/options.js'

/** What supertest accepts: the express app of a sandbox. */
export type App = Parameters<typeof request>[0]

/** The admin token of every auth test sandbox. */
export const ADMIN = 'test-admin-token-0123456789abcdef'

/** A SIRET for clients, and the query every data operation of the bundled contract needs. */
export const SIRET = luhnComplete('1300252650001')
export const SIREN = luhnComplete('41816609')
export const TRACE = { context: 'test', recipient: SIRET, object: 'auth tests' }

/** Path of a data operation that needs `unites_legales_etablissements_insee`. */
export const INSEE_PATH = `/v3/insee/sirene/unites_legales/${SIREN}`
/** Path of a data operation that needs `attestation_sociale_urssaf`. */
export const URSSAF_PATH = `/v4/urssaf/unites_legales/${SIREN}/attestation_vigilance`

/** A sandbox on the bundled contract, in memory, rate limits off, silent. */
export function authSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return createSandbox({
    state: 'memory',
    adminToken: ADMIN,
    rateLimits: 'off',
    log: () => undefined,
    ...options,
  })
}

export const basicAuth = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`

/** A client's credentials, as the tests pass them around. */
export interface MadeClient {
  clientId: string
  clientSecret: string
}

/** Creates a client through the admin API (snake_case body, as the admin API takes it). */
export async function makeClient(
  app: App,
  body: Record<string, unknown> = {},
): Promise<MadeClient> {
  const res = await request(app)
    .post('/__sandbox/clients')
    .set('authorization', `Bearer ${ADMIN}`)
    .send({ siret: SIRET, privileges: ['unites_legales_etablissements_insee'], ...body })
  if (res.status !== 201)
    throw new Error(`client creation failed: ${res.status} ${JSON.stringify(res.body)}`)
  const made = res.body as { client_id: string; client_secret: string }
  return { clientId: made.client_id, clientSecret: made.client_secret }
}

/** Gets a token by client_secret_basic; extra form fields are added to the body. */
export async function getToken(
  app: App,
  client: MadeClient,
  form: Record<string, string> = {},
): Promise<string> {
  const res = await request(app)
    .post('/oauth/token')
    .set('authorization', basicAuth(client.clientId, client.clientSecret))
    .type('form')
    .send({ grant_type: 'client_credentials', ...form })
  if (res.status !== 200)
    throw new Error(`token request failed: ${res.status} ${JSON.stringify(res.body)}`)
  return (res.body as { access_token: string }).access_token
}

/** Revokes a token as its client does (`POST /oauth/revoke`, client_secret_basic); returns the answer. */
export const revokeToken = (app: App, client: MadeClient, token: string) =>
  request(app)
    .post('/oauth/revoke')
    .set('authorization', basicAuth(client.clientId, client.clientSecret))
    .type('form')
    .send({ token })

/** A GET on the API with a bearer token and the traceability parameters. */
export const callApi = (app: App, path: string, token?: string) => {
  const req = request(app).get(path).query(TRACE)
  return token === undefined ? req : req.set('authorization', `Bearer ${token}`)
}

/** The first error of a contract-shaped error body. */
export const firstError = (body: unknown): { code: string; title: string; detail: string } =>
  (body as { errors: Array<{ code: string; title: string; detail: string }> }).errors[0]!
