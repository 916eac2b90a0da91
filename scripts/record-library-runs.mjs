#!/usr/bin/env node
// Records how real HTTP and OAuth client libraries behave against the sandbox, for the verdict's rule
// tests: each library runs, with its documented defaults (or the one option named), through a
// situation the verdict judges (its own backoff after 504s, a 503's Retry-After, a call the sandbox
// holds, tokens expiring), and the sandbox's journal of that run is kept as a fixture,
// test/report/fixtures/library-runs.json. The libraries are not dependencies of the project: this
// script installs them in a scratch folder.
//
//   npm run build && node scripts/record-library-runs.mjs [--libs DIR] [--out FILE] [--only TEXT]
//
// --only records the runs whose name contains TEXT and replaces them in the fixture.
//
// It takes about three minutes of real waiting (backoffs, Retry-After, held calls, token lifetimes).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const ROOT = resolve(import.meta.dirname, '..')
/** The libraries recorded, at the versions the fixture names. */
const LIBRARIES = {
  got: '14.6.6',
  ky: '1.14.3',
  axios: '1.21.1',
  'axios-retry': '4.5.0',
  undici: '7.30.2',
  'p-retry': '6.2.1',
  'simple-oauth2': '5.1.0',
  'openid-client': '6.9.0',
}

const { values: args } = parseArgs({
  options: {
    libs: { type: 'string', default: join(tmpdir(), 'sandbox-twin-library-runs') },
    out: { type: 'string', default: join(ROOT, 'test/report/fixtures/library-runs.json') },
    only: { type: 'string' },
  },
})

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const say = (line) => process.stderr.write(`record: ${line}\n`)

/** Installs the libraries in their own folder (once) and imports them from there. */
async function loadLibraries(dir) {
  mkdirSync(dir, { recursive: true })
  const wanted = Object.entries(LIBRARIES).map(([n, v]) => `${n}@${v}`)
  const have = (n, v) => {
    try {
      return (
        JSON.parse(readFileSync(join(dir, 'node_modules', n, 'package.json'), 'utf8')).version === v
      )
    } catch {
      return false
    }
  }
  if (!Object.entries(LIBRARIES).every(([n, v]) => have(n, v))) {
    say(`installing ${wanted.join(' ')} in ${dir}`)
    writeFileSync(join(dir, 'package.json'), '{"private":true,"type":"module"}\n')
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...wanted], {
      cwd: dir,
      stdio: 'inherit',
    })
  }
  // Bare names resolve from the folder the libraries live in.
  const loader = join(dir, 'libraries.mjs')
  writeFileSync(
    loader,
    [
      "export { default as got } from 'got'",
      "export { default as ky } from 'ky'",
      "export { default as axios } from 'axios'",
      "export { default as axiosRetry } from 'axios-retry'",
      "export * as undici from 'undici'",
      "export { default as pRetry } from 'p-retry'",
      "export { ClientCredentials } from 'simple-oauth2'",
      "export * as oidc from 'openid-client'",
      '',
    ].join('\n'),
  )
  return import(pathToFileURL(loader).href)
}

/** Scenarios the recordings arm: short waits, so that a run takes seconds. */
const SCENARIOS = {
  'record-504': 'description: 504 from the provider\neffect:\n  type: status\n  status: 504\n',
  'record-503': 'description: maintenance\neffect:\n  type: maintenance\n  retry_after: 2s\n',
  // Held until the client gives up (or the sandbox's ban.holdFor, 60 s).
  'record-hang': 'description: held call\neffect:\n  type: hang\n',
}

/** An entry without the field lists of its answer (the verdict's timing rules do not read them). */
const slim = (entry) => {
  const out = { ...entry }
  for (const key of ['fields', 'withheld', 'fieldScopes']) delete out[key]
  return out
}

const TRACE = new URLSearchParams({
  context: 'Marchés publics',
  recipient: '13002526500013',
  object: 'Dossier 2025-127',
}).toString()

async function main() {
  const lib = await loadLibraries(resolve(args.libs))
  const { createSandbox } = await import(pathToFileURL(join(ROOT, 'dist/bundle/index.mjs')).href)
  const scenarios = mkdtempSync(join(tmpdir(), 'record-scenarios-'))
  for (const [name, text] of Object.entries(SCENARIOS))
    writeFileSync(join(scenarios, `${name}.yaml`), text)
  const sandbox = await createSandbox({ state: 'memory', log: () => {}, scenarios, seed: 1 })
  const { url } = await sandbox.listen(0, '127.0.0.1')
  const admin = {
    authorization: `Bearer ${sandbox.adminToken}`,
    'content-type': 'application/json',
  }
  const post = async (path, body) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }
  const privileges = ['unites_legales_etablissements_insee']
  let n = 0
  /** A fresh client, its token, and the scenario armed for its first `calls` calls. */
  const setup = async (settings = {}, scenario, calls) => {
    const clientId = `rec-${++n}`
    const made = await post('/__sandbox/clients', { client_id: clientId, privileges, ...settings })
    const setupInfo = { clientId, clientSecret: made.client_secret }
    const res = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${made.client_secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    })
    const token = (await res.json()).access_token
    if (scenario) await post('/__sandbox/scenarios', { client_id: clientId, scenario, calls })
    return { ...setupInfo, token, headers: { authorization: `Bearer ${token}` } }
  }
  const path = (i = 0) =>
    `${url}/v4/insee/sirene/unites_legales/${['418166096', '552100554', '732829320'][i]}?${TRACE}`
  /** axios with axios-retry, 3 retries, exponential delays: the configuration its README shows. */
  const axiosRetryGet = (s) => {
    const client = lib.axios.create()
    lib.axiosRetry(client, { retries: 3, retryDelay: lib.axiosRetry.exponentialDelay })
    return client.get(path(), { headers: s.headers })
  }
  /** undici's RetryAgent with its defaults. */
  const undiciRetryGet = async (s) => {
    const dispatcher = new lib.undici.RetryAgent(new lib.undici.Agent())
    const res = await lib.undici.request(path(), { headers: s.headers, dispatcher })
    await res.body.text()
  }
  const journal = async (clientId, since) => {
    await sleep(300)
    await sandbox.context.journal.flush()
    const out = []
    for await (const e of sandbox.context.journal.stream({ clientId }))
      if (Date.parse(e.at) >= since && (e.kind === 'api' || e.kind === 'token')) out.push(slim(e))
    return out
  }
  const quietly = (p) =>
    p.then(
      () => 'done',
      (err) => `threw ${err?.name ?? 'Error'}: ${String(err?.message ?? err).slice(0, 120)}`,
    )

  /** One recording: the library, its configuration, the situation, and the journal of its run. */
  const recordings = []
  const record = async (
    name,
    { library, configuration, situation, scenario, calls, settings },
    run,
  ) => {
    if (args.only && !name.includes(args.only)) return
    const s = await setup(settings, scenario, calls)
    const started = Date.now()
    say(`${name}…`)
    const result = await quietly(run(s))
    const entries = await journal(s.clientId, started)
    say(`${name}: ${entries.length} entries, ${result}`)
    recordings.push({
      name,
      library,
      version: LIBRARIES[library] ?? process.version,
      configuration,
      situation,
      result,
      entries,
    })
  }

  // 1. Its own backoff after failures that ask for nothing (504s), the last retry answered.
  const backoff = {
    situation: 'own-backoff: 504 without Retry-After, then 200',
    scenario: 'record-504',
  }
  await record(
    'got defaults after 504s',
    { ...backoff, library: 'got', configuration: 'defaults (retry.limit 2)', calls: 2 },
    (s) => lib.got(path(), { headers: s.headers }),
  )
  await record(
    'ky defaults after 504s',
    { ...backoff, library: 'ky', configuration: 'defaults (retry.limit 2)', calls: 2 },
    (s) => lib.ky.get(path(), { headers: s.headers }),
  )
  await record(
    'axios-retry exponentialDelay after 504s',
    {
      ...backoff,
      library: 'axios-retry',
      configuration: 'retries 3, retryDelay exponentialDelay',
      calls: 3,
    },
    axiosRetryGet,
  )
  await record(
    'undici RetryAgent defaults after 504s',
    {
      ...backoff,
      library: 'undici',
      configuration: 'RetryAgent defaults (maxRetries 5, minTimeout 500, timeoutFactor 2)',
      calls: 5,
    },
    undiciRetryGet,
  )
  await record(
    'p-retry retries 5 after 504s',
    {
      ...backoff,
      library: 'p-retry',
      configuration: 'retries 5 (factor 2, minTimeout 1000: its defaults)',
      calls: 5,
    },
    (s) =>
      lib.pRetry(
        async () => {
          const res = await fetch(path(), { headers: s.headers })
          await res.arrayBuffer()
          if (!res.ok) throw new Error(`status ${res.status}`)
        },
        { retries: 5 },
      ),
  )
  await record(
    'naive fetch loop after 504s',
    { ...backoff, library: 'naive fetch', configuration: 'retries at once, 3 times', calls: 3 },
    async (s) => {
      for (let i = 0; i < 4; i++) {
        const res = await fetch(path(), { headers: s.headers })
        await res.arrayBuffer()
        if (res.ok) return
      }
    },
  )

  // 2. A 503 that asks for a wait (Retry-After: 2), twice, then 200.
  const asked = {
    situation: 'asked wait: 503 with Retry-After 2, twice, then 200',
    scenario: 'record-503',
    calls: 2,
  }
  await record(
    'got defaults, 503 Retry-After',
    { ...asked, library: 'got', configuration: 'defaults' },
    (s) => lib.got(path(), { headers: s.headers }),
  )
  await record(
    'ky defaults, 503 Retry-After',
    { ...asked, library: 'ky', configuration: 'defaults' },
    (s) => lib.ky.get(path(), { headers: s.headers }),
  )
  await record(
    'axios-retry exponentialDelay, 503 Retry-After',
    { ...asked, library: 'axios-retry', configuration: 'retries 3, retryDelay exponentialDelay' },
    axiosRetryGet,
  )
  await record(
    'undici RetryAgent defaults, 503 Retry-After',
    { ...asked, library: 'undici', configuration: 'RetryAgent defaults (retryAfter true)' },
    undiciRetryGet,
  )

  // 3. A call the sandbox holds without answering: when the library gives up.
  const held = {
    situation: 'held call: no answer until the client gives up',
    scenario: 'record-hang',
    calls: 2,
  }
  await record(
    'got timeout.request 5000',
    { ...held, library: 'got', configuration: 'timeout.request 5000, retry.limit 0' },
    async (s) => {
      for (const i of [0, 1])
        await quietly(
          lib.got(path(i), { headers: s.headers, timeout: { request: 5000 }, retry: { limit: 0 } }),
        )
    },
  )
  await record(
    'ky timeout 5000',
    { ...held, library: 'ky', configuration: 'timeout 5000, retry 0' },
    async (s) => {
      for (const i of [0, 1])
        await quietly(lib.ky.get(path(i), { headers: s.headers, timeout: 5000, retry: 0 }))
    },
  )
  await record(
    'ky default timeout',
    { ...held, calls: 1, library: 'ky', configuration: 'default timeout (10 s), retry 0' },
    (s) => lib.ky.get(path(), { headers: s.headers, retry: 0 }),
  )
  await record(
    'axios timeout 5000',
    { ...held, library: 'axios', configuration: 'timeout 5000' },
    async (s) => {
      for (const i of [0, 1])
        await quietly(lib.axios.get(path(i), { headers: s.headers, timeout: 5000 }))
    },
  )
  await record(
    'undici headersTimeout 5000',
    { ...held, library: 'undici', configuration: 'Agent headersTimeout 5000, no retry' },
    async (s) => {
      const dispatcher = new lib.undici.Agent({ headersTimeout: 5000 })
      for (const i of [0, 1])
        await quietly(
          lib.undici
            .request(path(i), { headers: s.headers, dispatcher })
            .then((r) => r.body.text()),
        )
    },
  )

  // 4. Tokens living 10 s, a call a second for 25 s.
  const tokens = {
    situation: 'tokens living 10 s, one call a second for 25 s',
    settings: { token_lifetime: 10 },
  }
  const callEverySecond = async (token, forMs = 25_000) => {
    const until = Date.now() + forMs
    while (Date.now() < until) {
      const res = await fetch(path(), {
        headers: { authorization: `Bearer ${await token(false)}` },
      })
      await res.arrayBuffer()
      if (res.status === 401) await token(true)
      await sleep(1000)
    }
  }
  await record(
    'simple-oauth2 expired(2)',
    {
      ...tokens,
      library: 'simple-oauth2',
      configuration: 'ClientCredentials, renews when token.expired(2)',
    },
    (s) => {
      const client = new lib.ClientCredentials({
        client: { id: s.clientId, secret: s.clientSecret },
        auth: { tokenHost: url, tokenPath: '/oauth/token' },
        options: { authorizationMethod: 'header' },
      })
      let current
      return callEverySecond(async (refused) => {
        if (refused || !current || current.expired(2)) current = await client.getToken({})
        return current.token.access_token
      })
    },
  )
  const tokenPerCall = (forMs) => (s) => {
    const config = new lib.oidc.Configuration(
      { issuer: url, token_endpoint: `${url}/oauth/token` },
      s.clientId,
      s.clientSecret,
      lib.oidc.ClientSecretBasic(s.clientSecret),
    )
    lib.oidc.allowInsecureRequests(config)
    return callEverySecond(
      async () => (await lib.oidc.clientCredentialsGrant(config)).access_token,
      forMs,
    )
  }
  const perCall = {
    library: 'openid-client',
    configuration: 'clientCredentialsGrant before every call (no cache)',
  }
  await record(
    'openid-client clientCredentialsGrant per call',
    { ...tokens, ...perCall },
    tokenPerCall(25_000),
  )
  // A token per call is premature only when tokens outlive the near-expiry bound (60 s).
  await record(
    'openid-client clientCredentialsGrant per call, 5-minute tokens',
    {
      ...perCall,
      situation: 'tokens living 5 min, one call a second for 10 s',
      settings: { token_lifetime: 300 },
    },
    tokenPerCall(10_000),
  )
  await record(
    'naive fetch cache until refused',
    {
      ...tokens,
      library: 'naive fetch',
      configuration: 'keeps its token until a 401, then fetches one',
    },
    (s) => {
      let current
      const basic = `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}`
      return callEverySecond(async (refused) => {
        if (refused || !current) {
          const res = await fetch(`${url}/oauth/token`, {
            method: 'POST',
            headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
            body: 'grant_type=client_credentials',
          })
          current = (await res.json()).access_token
        }
        return current
      })
    },
  )

  await sandbox.close()
  mkdirSync(dirname(args.out), { recursive: true })
  // With --only, the recordings made replace those of the same name in the fixture already there.
  if (args.only) {
    try {
      const kept = JSON.parse(readFileSync(args.out, 'utf8')).recordings.filter(
        (r) => !recordings.some((m) => m.name === r.name),
      )
      recordings.unshift(...kept)
    } catch {
      // no fixture yet: this run is all of it
    }
  }
  const fixture = {
    about:
      'Journals of real client libraries run against the sandbox by scripts/record-library-runs.mjs; re-record with that script.',
    recordedAt: new Date().toISOString(),
    node: process.version,
    recordings,
  }
  writeFileSync(args.out, `${JSON.stringify(fixture, null, 2)}\n`)
  // In the project's format, so that a re-recording diffs cleanly.
  execFileSync(join(ROOT, 'node_modules/.bin/prettier'), ['--write', args.out], { stdio: 'ignore' })
  say(`wrote ${recordings.length} recordings to ${args.out}`)
}

await main()
