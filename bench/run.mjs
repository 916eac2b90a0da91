#!/usr/bin/env node
// npm run bench: throughput, latency, start-up time and peak memory of sandbox-twin, measured side by
// side with Prism on the same contract and the same request, in one run on this machine. Loopback only.
//
// Usage: npm run bench -- [--runs 3] [--duration 5] [--connections 50] [--only name,name]
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { measureHeldConnections } from './held.mjs'
import { scenarios } from './scenarios.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = parseArgs(process.argv.slice(2))
const contract =
  process.env.SANDBOX_REAL_CONTRACT ?? resolve(root, '../shared/contracts/api_entreprise.yaml')
if (!existsSync(contract)) {
  console.error(
    `bench: the real contract is missing (${contract}); set SANDBOX_REAL_CONTRACT or keep ../shared beside the repository.`,
  )
  process.exit(2)
}

function parseArgs(list) {
  const out = { runs: 3, duration: 5, connections: 50, only: undefined }
  for (let i = 0; i < list.length; i += 2) {
    const key = list[i].replace(/^--/, '')
    if (!(key in out)) throw new Error(`bench: unknown flag ${list[i]}`)
    out[key] = key === 'only' ? list[i + 1].split(',') : Number(list[i + 1])
  }
  return out
}

/** A free loopback port. */
function freePort() {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => done(port))
    })
  })
}

/** Peak resident memory of a process (VmHWM), MB. */
function peakRss(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Math.round(Number(m[1]) / 1024) : NaN
}

/** Starts a server process and waits until `probe` answers 200; returns the time it took. */
async function startServer(name, command, argv, probe, env = {}) {
  const started = performance.now()
  const child = spawn(command, argv, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout.on('data', (c) => (log += c))
  child.stderr.on('data', (c) => (log += c))
  const deadline = started + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited early:\n${log}`)
    if (performance.now() > deadline) throw new Error(`${name} not ready after 60 s:\n${log}`)
    const res = await fetch(probe.url, { headers: probe.headers }).catch(() => undefined)
    if (res) await res.arrayBuffer()
    if (res?.status === 200) break
    await new Promise((r) => setTimeout(r, 5))
  }
  return { child, readyMs: performance.now() - started, log: () => log }
}

function stop(child) {
  return new Promise((done) => {
    if (child.exitCode !== null) return done()
    child.once('exit', () => done())
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 5000).unref()
  })
}

function load(url, headers) {
  return new Promise((done, fail) => {
    autocannon(
      { url, headers, connections: args.connections, duration: args.duration },
      (err, r) => {
        if (err) return fail(err)
        done({
          rps: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
          non2xx: r.non2xx,
          errors: r.errors + r.timeouts,
        })
      },
    )
  })
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** One run of one variant: start its server, load it, stop it. */
async function runOnce(s, setup) {
  const port = await freePort()
  const { command, argv, env } = s.server(port, contract, setup)
  const request = await s.request(`http://127.0.0.1:${port}`, setup)
  const server = await startServer(s.name, command, argv, request, env)
  try {
    if (s.prepare) await s.prepare(`http://127.0.0.1:${port}`, request, setup)
    const req = await s.request(`http://127.0.0.1:${port}`, setup, true)
    const r = await load(req.url, req.headers)
    return { ...r, readyMs: server.readyMs, rssMb: peakRss(server.child.pid) }
  } finally {
    await stop(server.child)
  }
}

function summarise(name, runs) {
  const pick = (k) => median(runs.map((r) => r[k]))
  return {
    name,
    rps: pick('rps'),
    p50: pick('p50'),
    p99: pick('p99'),
    readyMs: pick('readyMs'),
    rssMb: pick('rssMb'),
    non2xx: pick('non2xx'),
    errors: pick('errors'),
    runs: runs.length,
  }
}

// Runs are interleaved (round 1 of every variant, then round 2...), so that the drift of a shared,
// noisy machine spreads over all variants instead of favouring whichever ran at a quiet moment.
const selected = scenarios(root).filter((s) => !args.only || args.only.includes(s.name))
const state = new Map(
  selected.map((s) => [s.name, { runs: [], error: undefined, setup: undefined }]),
)
try {
  for (const s of selected) {
    const st = state.get(s.name)
    try {
      st.setup = s.before ? await s.before() : {}
    } catch (err) {
      st.error = String(err.message ?? err).split('\n')[0]
    }
  }
  for (let round = 1; round <= args.runs; round++) {
    for (const s of selected) {
      const st = state.get(s.name)
      if (st.error) continue
      process.stderr.write(
        `bench: round ${round}/${args.runs}: ${s.name} (${args.duration} s, ${args.connections} connections)\n`,
      )
      try {
        st.runs.push(await runOnce(s, st.setup))
      } catch (err) {
        st.error = String(err.message ?? err).split('\n')[0]
      }
    }
  }
} finally {
  // Even when a run failed: a variant's Redis must not outlive the bench.
  for (const s of selected)
    if (s.after && state.get(s.name).setup) await s.after(state.get(s.name).setup)
}
const results = selected.map((s) => {
  const st = state.get(s.name)
  return st.error ? { name: s.name, error: st.error } : summarise(s.name, st.runs)
})

const by = Object.fromEntries(results.map((r) => [r.name, r]))
const ratio = (a, b) => (by[a]?.rps && by[b]?.rps ? (by[a].rps / by[b].rps).toFixed(2) : 'n/a')
console.log(
  `\nsandbox-twin bench — ${new Date().toISOString()} — node ${process.version}, ${args.runs} runs each, interleaved (medians), ${args.duration} s, ${args.connections} connections`,
)
console.log(
  'name'.padEnd(28) +
    'req/s'.padStart(9) +
    'p50 ms'.padStart(8) +
    'p99 ms'.padStart(8) +
    'ready ms'.padStart(10) +
    'peak RSS MB'.padStart(13) +
    'non-2xx'.padStart(9),
)
for (const r of results) {
  if (r.error) console.log(`${r.name.padEnd(28)} failed: ${r.error}`)
  else
    console.log(
      r.name.padEnd(28) +
        String(Math.round(r.rps)).padStart(9) +
        String(r.p50).padStart(8) +
        String(r.p99).padStart(8) +
        String(Math.round(r.readyMs)).padStart(10) +
        String(r.rssMb).padStart(13) +
        String(r.non2xx).padStart(9),
    )
}
const comparisons = [
  ['sandbox (no auth) / prism static', ratio('sandbox-noauth', 'prism-static'), 'bar >= 5'],
  ['sandbox (no auth) / prism dynamic', ratio('sandbox-noauth', 'prism-dynamic'), ''],
  ['authenticated / unauthenticated', ratio('sandbox-auth', 'sandbox-noauth'), 'bar >= 0.70'],
  ['rate limits + scenarios on / off', ratio('sandbox-traffic', 'sandbox-auth'), 'bar >= 0.90'],
  ['journal on / off (memory state)', ratio('sandbox-full', 'sandbox-traffic'), 'bar >= 0.85'],
  [
    'journal on / off (file state, the default)',
    ratio('sandbox-full-file', 'sandbox-traffic-file'),
    'bar >= 0.85',
  ],
  ['redis store / embedded store', ratio('sandbox-redis', 'sandbox-full'), ''],
]
console.log('\nratios (req/s, same request, same run):')
for (const [label, value, bar] of comparisons)
  console.log(`  ${label.padEnd(38)} ${String(value).padStart(6)}  ${bar}`)
// Another client's throughput while 1000 banned connections are held, beside the same load without.
if (!args.only || args.only.includes('held')) {
  const h = await measureHeldConnections({
    root,
    contract,
    port: await freePort(),
    duration: args.duration,
    connections: args.connections,
  })
  console.log(
    `\nheld connections: ${h.held} held (${h.heldBytes} bytes sent to them), 1001st closed at once: ${h.overBoundClosed}`,
  )
  console.log(
    `  another client: ${Math.round(h.before.rps)} req/s (p99 ${h.before.p99} ms) with nothing held, ${Math.round(h.during.rps)} req/s (p99 ${h.during.p99} ms, ${h.during.errors} errors, ${h.during.non2xx} non-2xx) while held; ratio ${(h.during.rps / h.before.rps).toFixed(2)}`,
  )
}

// Data generation alone, in this process: CPU per body of a typical operation of the real contract.
const generation = await measureGeneration()
console.log(
  `\ndata generation: ${generation.operation} body in ${generation.micros} µs of CPU (median of 5 rounds of 300 companies, warm)`,
)

async function measureGeneration() {
  const { loadContract } = await import(resolve(root, 'dist/mock/contract/load-contract.js'))
  const { createDataGenerator } = await import(resolve(root, 'dist/mock/data/generate-response.js'))
  const { luhnComplete } = await import(resolve(root, 'dist/mock/data/identifiers.js'))
  const real = await loadContract(contract)
  const generator = createDataGenerator(real, { seed: 9, documentBaseUrl: '' })
  const op = real.operations.find((o) => o.id === 'api_entreprise_v3_insee_unites_legales')
  const sirens = Array.from({ length: 300 }, (_, i) => luhnComplete(String(30_000_000 + i * 1_013)))
  for (const siren of sirens) generator.generateBody(op, { siren })
  const rounds = []
  for (let r = 0; r < 5; r++) {
    const start = process.cpuUsage()
    for (const siren of sirens) generator.generateBody(op, { siren })
    rounds.push(process.cpuUsage(start).user / sirens.length)
  }
  return { operation: op.id, micros: Math.round(median(rounds)) }
}

mkdirSync(resolve(root, 'bench/results'), { recursive: true })
writeFileSync(
  resolve(root, 'bench/results/latest.json'),
  JSON.stringify({ at: new Date().toISOString(), args, results, comparisons, generation }, null, 2),
)
