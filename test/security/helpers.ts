import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import type { SandboxOptions } from '../../mock/options.js'
import { startCli, type RunningCli } from '../helpers/cli.js'

/** The admin token of every security test sandbox. */
export const ADMIN = 'security-admin-token-0123456789'

/** A fresh, empty state folder. */
export const stateDir = (): string => mkdtempSync(join(tmpdir(), 'sandbox-twin-sec-'))

/** A real `sandbox-twin serve` process on a file state, with the demo client's credentials. */
export interface Served extends RunningCli {
  demo: { id: string; secret: string }
  /** `fetch` on the sandbox: a path and init. */
  call(path: string, init?: RequestInit): Promise<Response>
  /** An admin call with a JSON body. */
  admin(method: string, path: string, body?: unknown): Promise<Response>
  /** True while the process runs. */
  alive(): boolean
}

/** Starts the CLI on `state` (a file path); extra flags after. */
export async function serve(
  state: string,
  flags: string[] = [],
  env: Record<string, string> = {},
): Promise<Served> {
  const cli = await startCli(
    ['--state', state, '--admin-token', ADMIN, '--rate-limits', 'off', ...flags],
    env,
  )
  const m = /demo client:\s+(\S+)\s+secret: (\S+)/.exec(cli.stdout())
  if (!m) throw new Error(`no demo client in the banner: ${cli.stdout()}`)
  const call = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${cli.url}${path}`, init)
  return {
    ...cli,
    demo: { id: m[1]!, secret: m[2]! },
    call,
    admin: (method, path, body) =>
      call(path, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    alive: () => cli.child.exitCode === null && cli.child.signalCode === null,
  }
}

export const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`

/** A token for the demo client of a served sandbox. */
export async function demoToken(s: Served): Promise<string> {
  const res = await s.call('/oauth/token', {
    method: 'POST',
    headers: {
      authorization: basic(s.demo.id, s.demo.secret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  })
  const body = (await res.json()) as { access_token?: string }
  if (!body.access_token) throw new Error(`no token: ${res.status} ${JSON.stringify(body)}`)
  return body.access_token
}

/** A data call of the bundled contract, with its traceability parameters. */
export const API_PATH =
  '/v3/insee/sirene/unites_legales/418166096?context=test&recipient=13002526500013&object=security'

/**
 * An in-process sandbox behind a trusted proxy (each test picks its caller's address with
 * `X-Forwarded-For`), on memory state, without rate limits, on a machine clock the test moves with
 * `advance(ms)`.
 */
export async function proxiedSandbox(
  extra: Partial<SandboxOptions> = {},
): Promise<{ sandbox: Sandbox; advance: (ms: number) => void }> {
  let realNow = Date.UTC(2026, 0, 5, 9)
  const sandbox = await createSandbox({
    state: 'memory',
    adminToken: ADMIN,
    rateLimits: 'off',
    trustProxy: true,
    now: () => realNow,
    log: () => undefined,
    ...extra,
  })
  return { sandbox, advance: (ms) => void (realNow += ms) }
}
