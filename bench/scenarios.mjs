import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
// The servers and requests `bench/run.mjs` measures. Every sandbox variant serves the real contract
// and answers the same request as Prism: a legal unit by SIREN with the traceability parameters.
import { ADMIN, clientToken, startRedis, stop } from './lib.mjs'
import { join, resolve } from 'node:path'

const PATH =
  '/v3/insee/sirene/unites_legales/418166096?context=bench&recipient=13002526500013&object=bench'

/** Gets a real access token from a running sandbox: a client created by the admin API, then /oauth/token. */
const token = (base) => clientToken(base, ['unites_legales_etablissements_insee'])

function sandbox(root, name, flags, { authenticated = false, before, after } = {}) {
  let bearer
  return {
    name,
    before,
    after,
    server: (port, contract, setup) => ({
      command: process.execPath,
      argv: [
        resolve(root, 'dist/bundle/sandbox-twin.mjs'),
        'serve',
        '--port',
        String(port),
        '--contract',
        contract,
        '--admin-token',
        ADMIN,
        ...flags(setup),
      ],
    }),
    // Before the token exists, readiness is probed on the health endpoint; the load uses the API call.
    request: async (base, _setup, forLoad) =>
      forLoad
        ? { url: base + PATH, headers: authenticated ? { authorization: `Bearer ${bearer}` } : {} }
        : { url: authenticated ? `${base}/__sandbox/health` : base + PATH, headers: {} },
    prepare: authenticated
      ? async (base) => {
          bearer = await token(base)
          const check = await fetch(base + PATH, { headers: { authorization: `Bearer ${bearer}` } })
          if (check.status !== 200)
            throw new Error(`authenticated probe answered ${check.status}: ${await check.text()}`)
        }
      : undefined,
  }
}

function prism(root, name, dynamic) {
  return {
    name,
    server: (port, contract) => ({
      command: resolve(root, 'node_modules/.bin/prism'),
      argv: ['mock', '-h', '127.0.0.1', '-p', String(port), ...(dynamic ? ['-d'] : []), contract],
    }),
    // Prism checks that a security header is present; any bearer will do.
    request: async (base) => ({ url: base + PATH, headers: { authorization: 'Bearer bench' } }),
  }
}

/**
 * A Redis server for the Redis-store variant: a child of the bench (never daemonized, so it cannot
 * outlive it), on loopback and a free port, no persistence; ready when it says so, stopped afterwards.
 */
function redis() {
  let server
  return {
    before: async () => {
      server = await startRedis()
      return { redisPort: Number(new URL(server.url).port) }
    },
    after: async () => {
      if (server) await stop(server.child)
    },
  }
}

/** A state file in a new temporary folder: each run starts from nothing. */
const freshStateFile = () => join(mkdtempSync(join(tmpdir(), 'sandbox-twin-bench-')), 'state.json')

export function scenarios(root) {
  const highLimits = resolve(root, 'bench/rate-limits-high.yaml')
  return [
    prism(root, 'prism-static', false),
    prism(root, 'prism-dynamic', true),
    sandbox(root, 'sandbox-noauth', () => [
      '--state',
      'memory',
      '--no-auth',
      '--rate-limits',
      'off',
      '--no-journal',
    ]),
    sandbox(
      root,
      'sandbox-auth',
      () => ['--state', 'memory', '--rate-limits', 'off', '--no-journal'],
      { authenticated: true },
    ),
    sandbox(
      root,
      'sandbox-traffic',
      () => ['--state', 'memory', '--rate-limits', highLimits, '--no-journal'],
      { authenticated: true },
    ),
    sandbox(root, 'sandbox-full', () => ['--state', 'memory', '--rate-limits', highLimits], {
      authenticated: true,
    }),
    // The CLI's default state: a lowdb file, and the journal appended to JSONL beside it.
    sandbox(
      root,
      'sandbox-traffic-file',
      () => ['--state', freshStateFile(), '--rate-limits', highLimits, '--no-journal'],
      { authenticated: true },
    ),
    sandbox(
      root,
      'sandbox-full-file',
      () => ['--state', freshStateFile(), '--rate-limits', highLimits],
      {
        authenticated: true,
      },
    ),
    // The same with the web console switched off: what serving the console costs the API's path.
    sandbox(
      root,
      'sandbox-full-file-noconsole',
      () => ['--state', freshStateFile(), '--rate-limits', highLimits, '--no-console'],
      { authenticated: true },
    ),
    sandbox(
      root,
      'sandbox-redis',
      (s) => ['--state', `redis://127.0.0.1:${s.redisPort}/0`, '--rate-limits', highLimits],
      { authenticated: true, ...redis() },
    ),
  ]
}
