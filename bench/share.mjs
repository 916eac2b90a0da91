// Bench section: each sandbox variant as a share of bare `node:http` answering the same bytes (the
// ceiling of this machine), all servers up at once and loaded in turn in short slices, so that
// whatever else the shared machine does lands on all of them within seconds; then a fixed-rate load
// on the all-features variant (p99 at a steady rate, not at saturation), its peak memory, and the
// time to ready with a cold and a warm cache.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { cpuMs, freePort, load, loadWrk, median, peakRss, startServer, stop } from './lib.mjs'
import { paced } from './paced.mjs'

/** Starts a variant (with `env`) and makes it ready for load; resolves with what a slice needs. */
async function up(variant, { root, contract, env = {} }) {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const setup = variant.setup ?? {}
  const spec = variant.server(port, contract, setup)
  const server = await startServer(
    variant.name,
    spec.command,
    spec.argv,
    await variant.request(base, setup),
    { ...spec.env, ...env },
    root,
  )
  try {
    if (variant.prepare) await variant.prepare(base, undefined, setup)
    return {
      variant,
      port,
      child: server.child,
      readyMs: server.readyMs,
      req: await variant.request(base, setup, true),
    }
  } catch (err) {
    await stop(server.child)
    throw err
  }
}

/**
 * The answer the reference serves: the plain mock's answer to the bench's request, status, headers
 * (those Node writes itself left out) and body bytes, written to a JSON file for `bare-http.mjs`.
 */
async function captureAnswer(plain, options) {
  const s = await up(plain, options)
  try {
    const res = await fetch(s.req.url, { headers: s.req.headers })
    const body = Buffer.from(await res.arrayBuffer())
    const headers = {}
    for (const [k, v] of res.headers)
      if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(k))
        headers[k] = v
    const file = join(mkdtempSync(join(tmpdir(), 'sandbox-twin-bench-answer-')), 'answer.json')
    writeFileSync(
      file,
      JSON.stringify({ status: res.status, headers, body: body.toString('base64') }),
    )
    return { file, bytes: body.length, headers: Object.keys(headers).length }
  } finally {
    await stop(s.child)
  }
}

/** The reference variant: bare node:http serving the captured answer. */
function bare(root, answerFile, path) {
  return {
    name: 'node-http',
    server: (port) => ({
      command: process.execPath,
      argv: [resolve(root, 'bench/bare-http.mjs'), String(port), answerFile],
    }),
    request: async (base) => ({ url: base + path, headers: {} }),
  }
}

const spread = (xs) => ({ median: median(xs), low: Math.min(...xs), high: Math.max(...xs) })

/**
 * Measures `variants` (sandbox scenarios; the first answers the same request without auth) against
 * bare node:http. Each of `rounds` rounds starts every server anew, warms each with one slice, then
 * loads them in turn for `slices` cycles of `seconds` (the order rotates each cycle); each cycle gives
 * each variant's share of the reference's throughput in that cycle. Variants marked `paced` then get
 * `rate` requests a second for `paceSeconds`. Returns medians over every cycle of every round.
 */
export async function measureShares(options) {
  const { root, contract, variants, rounds, slices, seconds, connections, rate, paceSeconds, wrk } =
    options
  const log = options.log ?? (() => {})
  const answer = await captureAnswer(variants[0], { root, contract })
  const path =
    new URL((await variants[0].request('http://x', {}, true)).url).pathname +
    new URL((await variants[0].request('http://x', {}, true)).url).search
  const all = [bare(root, answer.file, path), ...variants]
  const loadOne = wrk ? loadWrk : load
  const rows = new Map(
    all.map((v) => [
      v.name,
      { rps: [], p99: [], cpuUs: [], share: [], cpuShare: [], rss: [], paced: [], faults: 0 },
    ]),
  )
  try {
    for (let r = 0; r < rounds; r++) {
      const servers = []
      try {
        for (const v of all) servers.push(await up(v, { root, contract }))
        for (const s of servers) {
          log(`share: round ${r + 1}/${rounds}: warming ${s.variant.name}`)
          await loadOne(s.req.url, s.req.headers, { connections, duration: seconds })
        }
        for (let i = 0; i < slices; i++) {
          const order = servers.map((_, k) => servers[(k + i + r) % servers.length])
          const got = new Map()
          for (const s of order) {
            log(`share: round ${r + 1}/${rounds}, cycle ${i + 1}/${slices}: ${s.variant.name}`)
            const before = cpuMs(s.child.pid)
            const x = await loadOne(s.req.url, s.req.headers, { connections, duration: seconds })
            x.cpuUs = ((cpuMs(s.child.pid) - before) * 1000) / Math.max(1, x.rps * seconds)
            got.set(s.variant.name, x)
          }
          const ref = got.get('node-http')
          for (const [name, x] of got) {
            const row = rows.get(name)
            row.cpuShare.push(ref.cpuUs / x.cpuUs)
            row.rps.push(x.rps)
            row.p99.push(x.p99)
            row.cpuUs.push(x.cpuUs)
            row.share.push(x.rps / ref.rps)
            row.faults += x.non2xx + x.errors
          }
        }
        for (const s of servers.filter((s) => s.variant.paced)) {
          log(
            `share: round ${r + 1}/${rounds}: ${s.variant.name} at ${rate} req/s for ${paceSeconds} s`,
          )
          const url = new URL(s.req.url)
          rows.get(s.variant.name).paced.push(
            await paced({
              port: s.port,
              path: url.pathname + url.search,
              headers: s.req.headers,
              rate,
              seconds: paceSeconds,
            }),
          )
        }
        for (const s of servers) rows.get(s.variant.name).rss.push(peakRss(s.child.pid))
      } finally {
        for (const s of servers) await stop(s.child)
      }
    }
  } finally {
    rmSync(answer.file, { force: true })
  }
  return {
    answer: { bytes: answer.bytes, headers: answer.headers },
    rows: all.map((v) => {
      const row = rows.get(v.name)
      const pacedRuns = row.paced
      return {
        name: v.name,
        label: v.label ?? 'bare node:http, same answer (reference)',
        bar: v.bar,
        rps: median(row.rps),
        p99: median(row.p99),
        cpuUsPerRequest: median(row.cpuUs),
        share: spread(row.share),
        shareEach: row.share,
        cpuEach: row.cpuUs,
        cpuShare: spread(row.cpuShare),
        peakRssMb: Math.max(...row.rss),
        faults: row.faults,
        ...(pacedRuns.length
          ? {
              paced: {
                rate: median(pacedRuns.map((p) => p.rate)),
                p50: median(pacedRuns.map((p) => p.p50)),
                p99: median(pacedRuns.map((p) => p.p99)),
                p99Each: pacedRuns.map((p) => p.p99),
                p999: median(pacedRuns.map((p) => p.p999)),
                faults: pacedRuns.reduce((n, p) => n + p.non2xx + p.errors, 0),
              },
            }
          : {}),
      }
    }),
  }
}

/**
 * Time from spawning each variant to its first 200 (its readiness probe), `times` times cold (a new,
 * empty cache folder: TMPDIR and XDG_CACHE_HOME point into it) and as many warm (the same folder
 * again, once the cold start has had a second to write what it caches). The variants take turns
 * (each one's cold and warm start, then the next's, `times` over), so that a shared machine's passing
 * load falls on all of them alike. Medians, ms, one result per variant, in order.
 */
export async function measureReady({ root, contract, variants, times, log = () => {} }) {
  const runs = variants.map(() => ({ cold: [], warm: [] }))
  for (let i = 0; i < times; i++)
    for (const [k, variant] of variants.entries()) {
      const dir = mkdtempSync(join(tmpdir(), 'sandbox-twin-bench-cache-'))
      const env = { TMPDIR: dir, XDG_CACHE_HOME: dir }
      try {
        for (const list of [runs[k].cold, runs[k].warm]) {
          log(`ready: ${variant.name} ${list === runs[k].cold ? 'cold' : 'warm'} ${i + 1}/${times}`)
          const s = await up({ ...variant, prepare: undefined }, { root, contract, env })
          list.push(s.readyMs)
          await new Promise((r) => setTimeout(r, 1000))
          await stop(s.child)
        }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  return runs.map(({ cold, warm }) => ({
    cold: median(cold),
    warm: median(warm),
    coldEach: cold,
    warmEach: warm,
  }))
}
