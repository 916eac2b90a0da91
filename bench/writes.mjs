// Bench section: a write (POST a declaration, then GET it back) beside a read (GET of a stored
// declaration), on the bundled Douane-shaped contract, with the embedded store (a state file) and the
// Redis store. Each store gets one sandbox process; reads and writes are loaded in turn, in short
// slices (read, write, write, read...), so that the machine's noise lands on both; the section reports
// the medians of each slice kind and the write/read ratio of request rates.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { connect } from 'node:net'
import { join, resolve } from 'node:path'
import autocannon from 'autocannon'
import { freePort, median, startServer, stop } from './lib.mjs'

const ADMIN = 'bench-admin-token-0123456789abcdef'
const PATH = '/edi/v1/declarations'
const BODY = JSON.stringify({
  type_declaration: 'DEB',
  siret_declarant: '41816609600051',
  periode: '2026-01',
  reference_operateur: 'BENCH',
  lignes: [{ nomenclature: '84713000', valeur_eur: 1250.5, pays_origine: 'CN' }],
})

async function bearer(base) {
  const created = await fetch(`${base}/__sandbox/clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      label: 'bench',
      privileges: ['declarations_edi'],
      token_lifetime: 3600,
    }),
  })
  if (!created.ok)
    throw new Error(`client creation failed: ${created.status} ${await created.text()}`)
  const client = await created.json()
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.client_id,
      client_secret: client.client_secret,
    }),
  })
  if (!res.ok) throw new Error(`token request failed: ${res.status}`)
  return `Bearer ${(await res.json()).access_token}`
}

function run(opts) {
  return new Promise((done, fail) =>
    autocannon(opts, (err, r) =>
      err
        ? fail(err)
        : done({
            rps: r.requests.average,
            p99: r.latency.p99,
            bad: r.non2xx + r.errors + r.timeouts,
          }),
    ),
  )
}

/** Reads: GET of one stored declaration. */
const read = (base, headers, id, load) => run({ url: `${base}${PATH}/${id}`, headers, ...load })

/** Writes: each connection POSTs a declaration, then GETs it back by its Location, and again. */
const write = (base, headers, load) =>
  run({
    url: base,
    ...load,
    requests: [
      {
        method: 'POST',
        path: PATH,
        headers: { ...headers, 'content-type': 'application/json' },
        body: BODY,
        onResponse: (status, _body, context, resHeaders) => {
          context.location = resHeaders?.location
        },
      },
      {
        method: 'GET',
        headers,
        setupRequest: (req, context) =>
          context.location ? { ...req, path: context.location } : req,
      },
    ],
  })

function startRedis(port, dir) {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  )
  return new Promise((done, fail) => {
    child.once('error', fail)
    const probe = async () => {
      const ok = await new Promise((r) => {
        const s = connect(port, '127.0.0.1', () => (s.end(), r(true)))
        s.once('error', () => r(false))
      })
      if (ok) done(child)
      else setTimeout(probe, 50)
    }
    probe()
  })
}

/** Measures one store: its sandbox up, then `slices` alternations of read and write slices. */
async function measure(root, name, state, { slices, seconds, connections }) {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const server = await startServer(
    `writes-${name}`,
    process.execPath,
    [
      resolve(root, 'dist/bundle/sandbox-twin.mjs'),
      'serve',
      '--port',
      String(port),
      '--contract',
      resolve(root, 'fixtures/douane-edi-contract.yaml'),
      '--admin-token',
      ADMIN,
      '--state',
      state,
      '--rate-limits',
      'off',
      '--no-journal',
    ],
    { url: `${base}/__sandbox/health`, headers: {} },
    {},
    root,
  )
  try {
    const auth = await bearer(base)
    const headers = { authorization: auth }
    const created = await fetch(`${base}${PATH}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: BODY,
    })
    const id = (await created.json()).id_declaration
    const load = { duration: seconds, connections }
    await read(base, headers, id, load) // warm-up
    await write(base, headers, load)
    const reads = []
    const writes = []
    for (let i = 0; i < slices; i++) {
      const order = i % 2 === 0 ? ['r', 'w'] : ['w', 'r']
      for (const k of order)
        if (k === 'r') reads.push(await read(base, headers, id, load))
        else writes.push(await write(base, headers, load))
    }
    const r = median(reads.map((x) => x.rps))
    const w = median(writes.map((x) => x.rps))
    return {
      store: name,
      readRps: r,
      writeRps: w,
      writePairsPerSecond: w / 2,
      ratio: median(reads.map((x, i) => writes[i].rps / x.rps)),
      readP99: median(reads.map((x) => x.p99)),
      writeP99: median(writes.map((x) => x.p99)),
      faults: [...reads, ...writes].reduce((n, x) => n + x.bad, 0),
    }
  } finally {
    await stop(server.child)
  }
}

/** The section: the embedded store (a state file) and the Redis store, one after the other. */
export async function measureWrites(root, options) {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-bench-writes-'))
  const out = []
  try {
    out.push(await measure(root, 'embedded (file)', join(dir, 'state.json'), options))
    const port = await freePort()
    let redis
    try {
      redis = await startRedis(port, dir)
      out.push(await measure(root, 'redis', `redis://127.0.0.1:${port}/0`, options))
    } catch (err) {
      out.push({ store: 'redis', error: String(err.message ?? err).split('\n')[0] })
    } finally {
      if (redis) await stop(redis)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return out
}
