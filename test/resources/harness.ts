import { resolve } from 'node:path'
import request from 'supertest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import type { SandboxOptions } from '../../mock/options.js'
import { ADMIN, getToken, makeClient, type App, type MadeClient } from '../auth/helpers.js'

/** The bundled Douane-EDI-shaped contract. */
export const DOUANE = resolve(import.meta.dirname, '../../fixtures/douane-edi-contract.yaml')
export const DECLARATIONS = '/edi/v1/declarations'

/** A valid declaration body. */
export const declaration = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  type_declaration: 'DEB',
  siret_declarant: '41816609600051',
  periode: '2026-01',
  reference_operateur: 'REF-001',
  lignes: [
    { nomenclature: '84713000', valeur_eur: 1250.5, masse_nette_kg: 3.2, pays_origine: 'CN' },
  ],
  ...overrides,
})

/** A sandbox on the Douane-shaped contract, in memory unless told, rate limits off, silent. */
export function douaneSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return createSandbox({
    contract: DOUANE,
    state: 'memory',
    adminToken: ADMIN,
    rateLimits: 'off',
    seed: 3,
    log: () => undefined,
    ...options,
  })
}

/** A client entitled to the declaration API, and a token for it. */
export async function declarant(app: App): Promise<{ client: MadeClient; token: string }> {
  const client = await makeClient(app, { privileges: ['declarations_edi'] })
  return { client, token: await getToken(app, client) }
}

/** An API call with a bearer token. */
export const api = (app: App, token: string) => ({
  get: (path: string) => request(app).get(path).set('authorization', `Bearer ${token}`),
  post: (path: string, body?: unknown) => {
    const r = request(app).post(path).set('authorization', `Bearer ${token}`)
    return body === undefined ? r : r.send(body as object)
  },
  put: (path: string, body: unknown) =>
    request(app)
      .put(path)
      .set('authorization', `Bearer ${token}`)
      .send(body as object),
  delete: (path: string) => request(app).delete(path).set('authorization', `Bearer ${token}`),
})

/** Moves a client's sandbox clock forward. */
export async function advance(app: App, clientId: string, by: string): Promise<void> {
  const res = await request(app)
    .post('/__sandbox/clock')
    .set('authorization', `Bearer ${ADMIN}`)
    .send({ client_id: clientId, advance: by })
  if (res.status !== 200)
    throw new Error(`clock advance failed: ${res.status} ${JSON.stringify(res.body)}`)
}
