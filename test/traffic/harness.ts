import request from 'supertest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import type { SandboxOptions } from '../../mock/options.js'
import {
  ADMIN,
  basicAuth,
  getToken,
  makeClient,
  SIREN,
  TRACE,
  type MadeClient,
} from '../auth/helpers.js'

export { ADMIN, SIREN, TRACE }

/** Paths of a JSON operation (group json) and a document operation (group documents). */
export const JSON_PATH = `/v3/insee/sirene/unites_legales/${SIREN}`
export const DOCUMENT_PATH = `/v4/urssaf/unites_legales/${SIREN}/attestation_vigilance`
export const PRIVILEGES = ['unites_legales_etablissements_insee', 'attestation_sociale_urssaf']

/** A client of a test sandbox, with helpers to call the API as it. */
export interface TestClient {
  id: string
  secret: string
  basic: string
  /** A fresh access token. */
  token(): Promise<string>
  /** GET on the API with a bearer token (a fresh one unless given) and the traceability query. */
  get(path: string, token?: string): Promise<request.Response>
}

/** A listening sandbox whose real time is a variable the test moves. */
export interface Harness {
  sandbox: Sandbox
  url: string
  /** Real time as the sandbox sees it, ms; move it with `advance`. */
  readonly now: number
  advance(ms: number): void
  client(body?: Record<string, unknown>): Promise<TestClient>
  admin(method: 'get' | 'post' | 'put' | 'delete', path: string): request.Test
  close(): Promise<void>
}

/** A sandbox on the bundled contract, in memory, silent, listening on 127.0.0.1. */
export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
  let now = Date.UTC(2030, 0, 15, 9, 0, 0)
  const sandbox = await createSandbox({
    state: 'memory',
    adminToken: ADMIN,
    log: () => undefined,
    demoClient: false,
    now: () => now,
    ...options,
  })
  const { url } = await sandbox.listen(0, '127.0.0.1')
  return {
    sandbox,
    url,
    get now() {
      return now
    },
    advance: (ms) => void (now += ms),
    async client(body = {}) {
      const made: MadeClient = await makeClient(sandbox.app, { privileges: PRIVILEGES, ...body })
      const token = (): Promise<string> => getToken(sandbox.app, made)
      return {
        id: made.clientId,
        secret: made.clientSecret,
        basic: basicAuth(made.clientId, made.clientSecret),
        token,
        get: async (path, given) =>
          request(url)
            .get(path)
            .query(TRACE)
            .set('authorization', `Bearer ${given ?? (await token())}`),
      }
    },
    admin: (method, path) => request(url)[method](path).set('authorization', `Bearer ${ADMIN}`),
    close: () => sandbox.close(),
  }
}

/** Calls `fn` `n` times in a row, resolving every answer. */
export async function times<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < n; i++) out.push(await fn(i))
  return out
}
