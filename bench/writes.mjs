// Bench section: a write (POST a declaration, then GET it back) beside a read (GET of a stored
// declaration), on the bundled Douane-shaped contract, with the embedded store (a state file) and the
// Redis store. Each store gets one sandbox process; reads and writes are loaded in turn, in short
// slices (read, write, write, read...), so that the machine's noise lands on both; the section reports
// the medians of each slice kind and the write/read ratio of request rates.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import autocannon from 'autocannon'
import { ADMIN, clientToken, freePort, median, startRedis, startServer, stop } from './lib.mjs'

const PATH = '/edi/v1/declarations'
const BODY = JSON.stringify({
  type_declaration: 'DEB',
  siret_declarant: '41816609600051',
  periode: '2026-01',
  reference_operateur: 'BENCH',
  lignes: [{ nomenclature: '84713000', valeur_eur: 1250.5, pays_origine: 'CN' }],
})

const bearer = async (base) => `Bearer ${await clientToken(base, ['declarations_edi'])}`

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
    // The reference: bare node:http answering every request (the POST as the GET) with the bytes and
    // headers of the sandbox's answer to the GET, loaded in the same cycles as the sandbox.
    const answer = await fetch(`${base}${PATH}/${id}`, { headers })
    const bytes = Buffer.from(await answer.arrayBuffer())
    const kept = {}
    for (const [k, v] of answer.headers)
      if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(k))
        kept[k] = v
    const file = join(mkdtempSync(join(tmpdir(), 'sandbox-bench-writes-answer-')), 'answer.json')
    writeFileSync(
      file,
      JSON.stringify({ status: answer.status, headers: kept, body: bytes.toString('base64') }),
    )
    const refPort = await freePort()
    const refBase = `http://127.0.0.1:${refPort}`
    const ref = await startServer(
      'node-http',
      process.execPath,
      [resolve(root, 'bench/bare-http.mjs'), String(refPort), file],
      { url: `${refBase}${PATH}/${id}`, headers: {} },
      {},
      root,
    )
    try {
      const load = { duration: seconds, connections }
      await read(base, headers, id, load) // warm-up
      await write(base, headers, load)
      await read(refBase, headers, id, load)
      const rows = { read: [], write: [], refRead: [], refWrite: [] }
      for (let i = 0; i < slices; i++) {
        // The order turns each cycle, so that the machine's noise lands on every kind.
        const kinds = ['read', 'write', 'refRead', 'refWrite']
        for (let k = 0; k < kinds.length; k++) {
          const kind = kinds[(k + i) % kinds.length]
          const on = kind.startsWith('ref') ? refBase : base
          rows[kind].push(
            kind.endsWith('ead')
              ? await read(on, headers, id, load)
              : await write(on, headers, load),
          )
        }
      }
      const rps = (xs) => median(xs.map((x) => x.rps))
      const share = (xs, refs) => median(xs.map((x, i) => x.rps / refs[i].rps))
      return {
        store: name,
        readRps: rps(rows.read),
        writeRps: rps(rows.write),
        writePairsPerSecond: rps(rows.write) / 2,
        ratio: median(rows.read.map((x, i) => rows.write[i].rps / x.rps)),
        readP99: median(rows.read.map((x) => x.p99)),
        writeP99: median(rows.write.map((x) => x.p99)),
        reference: { readRps: rps(rows.refRead), writeRps: rps(rows.refWrite) },
        readShare: share(rows.read, rows.refRead),
        writeShare: share(rows.write, rows.refWrite),
        faults: [...rows.read, ...rows.write].reduce((n, x) => n + x.bad, 0),
      }
    } finally {
      await stop(ref.child)
      rmSync(dirname(file), { recursive: true, force: true })
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
    let redis
    try {
      redis = await startRedis()
      out.push(await measure(root, 'redis', redis.url, options))
    } catch (err) {
      out.push({ store: 'redis', error: String(err.message ?? err).split('\n')[0] })
    } finally {
      if (redis) await stop(redis.child)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return out
}
