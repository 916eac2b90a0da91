#!/usr/bin/env node
// npm run bench: throughput, latency, start-up time and peak memory of sandbox-twin, measured side by
// side with Prism on the same contract and the same request, in one run on this machine. Loopback only.
//
// Usage: npm run bench -- [--runs 3] [--duration 5] [--connections 50] [--slices 6] [--slice 2]
//                        [--cycles 4] [--cycle 3] [--rate 2000] [--pace 10] [--ready 5]
//                        [--baseline <built checkout>] [--only name,name]
// First section ("share", the headline): bare node:http answering the sandbox's bytes, the plain mock,
// all features on, and all features on with the web console off, all up at once, loaded in turn with
// wrk (autocannon when wrk is missing) for `--runs` rounds of `--cycles` cycles of `--cycle` seconds;
// the all-features variant then gets a steady `--rate` req/s for `--pace` s; ready time cold and warm,
// `--ready` times each (`--only share` runs this section alone).
// Second section ("console"): each main page of the web console in headless Chromium
// (`bench/console-pages.mjs`; `--only console` runs it alone).
// Ratios between sandbox variants come from the paired section (`paired.mjs`): `--runs` rounds, each
// with both servers up at once, loaded in turn in `--slices` pairs of `--slice`-second slices;
// `--slices 0` skips it. Ratios to Prism, far from 1, come from the rounds of separate processes.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { measureConsolePages, printConsolePages } from './console-pages.mjs'
import { measureHeldConnections } from './held.mjs'
import { freePort, hasWrk, load, median, peakRss, startServer, stop } from './lib.mjs'
import { measureReady, measureShares } from './share.mjs'
import { comparePaired } from './paired.mjs'
import { measureWrites } from './writes.mjs'
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
  const out = {
    runs: 3,
    duration: 5,
    connections: 50,
    slices: 6,
    slice: 2,
    cycles: 4,
    cycle: 3,
    rate: 2000,
    pace: 10,
    ready: 5,
    only: undefined,
    baseline: undefined,
  }
  const defaults = { ...out }
  const usage = () => {
    const flags = Object.entries(defaults).map(
      ([k, v]) => `--${k}${v === undefined ? '' : ` (${v})`}`,
    )
    return `usage: npm run bench -- [flag value ...]; flags (defaults): ${flags.join(', ')}; --only takes section or variant names, comma-separated; --baseline a built checkout`
  }
  if (list.includes('--help') || list.includes('-h')) {
    console.log(usage())
    process.exit(0)
  }
  const fail = (message) => {
    console.error(`bench: ${message}\n${usage()}`)
    process.exit(2)
  }
  for (let i = 0; i < list.length; i += 2) {
    const key = list[i].replace(/^--/, '')
    if (!list[i].startsWith('--') || !(key in out)) fail(`unknown flag ${list[i]}`)
    const value = list[i + 1]
    if (value === undefined || value.startsWith('--')) fail(`${list[i]} needs a value`)
    out[key] =
      key === 'only' ? value.split(',') : key === 'baseline' ? resolve(value) : Number(value)
    if (typeof out[key] === 'number' && !(Number.isFinite(out[key]) && out[key] > 0))
      fail(`${list[i]} takes a positive number, not ${value}`)
  }
  return out
}

const shareSection = await runShareSection()
const consoleSection = await runConsoleSection()
if (args.only && args.only.every((name) => name === 'share' || name === 'console')) {
  saveResults({ at: new Date().toISOString(), args, share: shareSection, console: consoleSection })
  process.exit(0)
}

/** Each main page of the web console loaded in headless Chromium (`bench/console-pages.mjs`). */
async function runConsoleSection() {
  if (args.only && !args.only.includes('console')) return undefined
  try {
    const result = await measureConsolePages({
      root,
      contract,
      log: (line) => process.stderr.write(`bench: ${line}\n`),
    })
    printConsolePages(result)
    return result
  } catch (err) {
    console.log(`\nconsole pages: failed: ${String(err.message ?? err).split('\n')[0]}`)
    return { error: String(err.message ?? err) }
  }
}

function saveResults(results) {
  mkdirSync(resolve(root, 'bench/results'), { recursive: true })
  writeFileSync(resolve(root, 'bench/results/latest.json'), JSON.stringify(results, null, 2))
}

/** The headline: shares of bare node:http, p99 at a steady rate, ready time, peak memory. */
async function runShareSection() {
  if (args.only && !args.only.includes('share')) return undefined
  const wrk = hasWrk()
  const named = Object.fromEntries(scenarios(root).map((s) => [s.name, s]))
  const variants = [
    { ...named['sandbox-noauth'], label: 'plain mock (no auth, no limits, no journal)', bar: 0.5 },
    {
      ...named['sandbox-full-file'],
      label: 'all features on (auth, rate limits, journal, file state)',
      bar: 0.35,
      paced: true,
    },
    // The console is served beside the API on the same port; its cost on the API's path is this
    // variant's share against the one above, cycle by cycle.
    {
      ...named['sandbox-full-file-noconsole'],
      label: 'all features on, web console off (--no-console)',
      ready: false,
      // A flag that builds before it do not know: no baseline row.
      baseline: false,
    },
  ]
  // Another build of the project (a checkout of an earlier commit, built), measured in the same run:
  // before and after under the same conditions.
  if (args.baseline) {
    const before = Object.fromEntries(scenarios(args.baseline).map((s) => [s.name, s]))
    for (const v of [...variants].filter((v) => before[v.name] && v.baseline !== false))
      variants.push({
        ...before[v.name],
        name: `${v.name}-baseline`,
        label: `${v.label.split(' (')[0]}, baseline build`,
        paced: v.paced,
        ready: v.ready,
      })
  }
  const log = (line) => process.stderr.write(`bench: ${line}\n`)
  const shares = await measureShares({
    root,
    contract,
    variants,
    rounds: args.runs,
    slices: args.cycles,
    seconds: args.cycle,
    connections: args.connections,
    rate: args.rate,
    paceSeconds: args.pace,
    wrk,
    log,
  })
  const timed = variants.filter((v) => v.ready !== false)
  const readyEach = await measureReady({ root, contract, variants: timed, times: args.ready, log })
  const ready = timed.map((v, k) => ({
    label: v.label,
    probe: v.name.startsWith('sandbox-noauth') ? 'first API answer' : 'health',
    ...readyEach[k],
  }))
  const pct = (x) => `${(x * 100).toFixed(0)} %`
  console.log(
    `\nshare of bare node:http — ${new Date().toISOString()} — node ${process.version}, real contract, ${wrk ? 'wrk (1 thread)' : 'autocannon'}, ${args.connections} connections; all servers up at once, ${args.runs} rounds × ${args.cycles} cycles of ${args.cycle} s, loaded in turn (medians; share: lowest–highest over cycles); the reference answers the same ${shares.answer.bytes} bytes with the same ${shares.answer.headers} headers`,
  )
  console.log(
    '  ' +
      'variant'.padEnd(58) +
      'req/s'.padStart(8) +
      'p99 ms'.padStart(8) +
      'CPU µs/req'.padStart(12) +
      'peak RSS MB'.padStart(13) +
      '  share of node:http: req/s; CPU per request',
  )
  for (const r of shares.rows)
    console.log(
      '  ' +
        r.label.padEnd(58) +
        String(Math.round(r.rps)).padStart(8) +
        String(r.p99).padStart(8) +
        String(Math.round(r.cpuUsPerRequest)).padStart(12) +
        String(r.peakRssMb).padStart(13) +
        `  ${pct(r.share.median)} (${pct(r.share.low)}–${pct(r.share.high)}); ${pct(r.cpuShare.median)} (${pct(r.cpuShare.low)}–${pct(r.cpuShare.high)})` +
        (r.bar ? `, bar >= ${pct(r.bar)}` : '') +
        (r.faults ? `  (${r.faults} errors or non-2xx)` : ''),
    )
  for (const r of shares.rows.filter((r) => r.paced))
    console.log(
      `  steady ${args.rate} req/s for ${args.pace} s, ${r.label}: p50 ${r.paced.p50.toFixed(2)} ms, p99 ${r.paced.p99.toFixed(2)} ms (each round: ${r.paced.p99Each.map((x) => x.toFixed(2)).join(' ')}), p99.9 ${r.paced.p999.toFixed(2)} ms, reached ${Math.round(r.paced.rate)} req/s${r.paced.faults ? `, ${r.paced.faults} errors or non-2xx` : ''}; bar p99 < 10 ms (latency from when each request was due)`,
    )
  const withConsole = shares.rows.find((r) => r.name === 'sandbox-full-file')
  const withoutConsole = shares.rows.find((r) => r.name === 'sandbox-full-file-noconsole')
  let consoleCost
  if (withConsole && withoutConsole) {
    // Both loaded within seconds of each other in every cycle: the ratio cycle by cycle.
    const each = withConsole.shareEach.map((x, i) => x / withoutConsole.shareEach[i])
    const cpu = withConsole.cpuEach.map((x, i) => x / withoutConsole.cpuEach[i])
    const spreadOf = (xs) => ({ median: median(xs), low: Math.min(...xs), high: Math.max(...xs) })
    consoleCost = { throughput: spreadOf(each), cpuPerRequest: spreadOf(cpu), each, cpu }
    const show = (r) => `${r.median.toFixed(2)} (${r.low.toFixed(2)}–${r.high.toFixed(2)})`
    console.log(
      `  web console on / off (all features, file state), cycle by cycle over ${each.length} cycles: throughput ratio ${show(consoleCost.throughput)}, CPU per request ratio ${show(consoleCost.cpuPerRequest)}; no cost is 1.00`,
    )
  }
  for (const r of ready)
    console.log(
      `  ready (${r.probe}), ${r.label}: cold cache ${Math.round(r.cold)} ms, warm ${Math.round(r.warm)} ms (median of ${args.ready}, variants in turn; each warm: ${r.warmEach.map(Math.round).join(' ')}; bars < 1000 and < 350 ms)`,
    )
  return { ...shares, ready, consoleCost, tool: wrk ? 'wrk' : 'autocannon' }
}

/** One run of one variant: start its server, load it, stop it. */
async function runOnce(s, setup) {
  const port = await freePort()
  const { command, argv, env } = s.server(port, contract, setup)
  const request = await s.request(`http://127.0.0.1:${port}`, setup)
  const server = await startServer(s.name, command, argv, request, env, root)
  try {
    if (s.prepare) await s.prepare(`http://127.0.0.1:${port}`, request, setup)
    const req = await s.request(`http://127.0.0.1:${port}`, setup, true)
    const r = await load(req.url, req.headers, args)
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
    rpsByRound: runs.map((r) => Math.round(r.rps)),
  }
}

// Runs are interleaved (round 1 of every variant, then round 2...), so that the drift of a shared,
// noisy machine spreads over all variants instead of favouring whichever ran at a quiet moment; even
// rounds run the variants in reverse order, so that no variant always runs right after another.
const selected = scenarios(root).filter((s) => !args.only || args.only.includes(s.name))
/**
 * Each comparison: variant `a` over variant `b`, the bar it must meet, and whether the paired section
 * measures it (what one feature of the sandbox costs; the ratios to Prism are not close calls).
 */
const COMPARISONS = [
  { label: 'sandbox (no auth) / prism static', a: 'sandbox-noauth', b: 'prism-static', bar: 5 },
  { label: 'sandbox (no auth) / prism dynamic', a: 'sandbox-noauth', b: 'prism-dynamic' },
  ...[
    { label: 'authenticated / unauthenticated', a: 'sandbox-auth', b: 'sandbox-noauth', bar: 0.7 },
    {
      label: 'rate limits + scenarios on / off',
      a: 'sandbox-traffic',
      b: 'sandbox-auth',
      bar: 0.9,
    },
    {
      label: 'journal on / off (memory state)',
      a: 'sandbox-full',
      b: 'sandbox-traffic',
      bar: 0.85,
    },
    {
      label: 'journal on / off (file state, the default)',
      a: 'sandbox-full-file',
      b: 'sandbox-traffic-file',
      bar: 0.85,
    },
    {
      // API reads on the durable file store (changes fsynced before they are acknowledged, counters
      // appended lazily) against a store that persists nothing: the durable store's cost on reads.
      label: 'durable file store / memory store (reads, no journal)',
      a: 'sandbox-traffic-file',
      b: 'sandbox-traffic',
      bar: 0.9,
    },
    { label: 'redis store / embedded store', a: 'sandbox-redis', b: 'sandbox-full' },
    {
      label: 'web console on / off (file state)',
      a: 'sandbox-full-file',
      b: 'sandbox-full-file-noconsole',
      bar: 0.95,
    },
  ].map((c) => ({ ...c, paired: true })),
]
const paired = new Map()
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
    for (const s of round % 2 === 1 ? selected : [...selected].reverse()) {
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
  for (const c of COMPARISONS) {
    const [a, b] = [c.a, c.b].map((name) => selected.find((s) => s.name === name))
    if (!a || !b || args.slices < 1) continue
    if (state.get(a.name).error || state.get(b.name).error) continue
    if (!c.paired) continue
    process.stderr.write(
      `bench: paired: ${c.label} (${args.runs} rounds of ${args.slices} × 2 × ${args.slice} s)\n`,
    )
    try {
      paired.set(
        c,
        await comparePaired(a, b, {
          root,
          contract,
          rounds: args.runs,
          slices: args.slices,
          seconds: args.slice,
          connections: args.connections,
          setupOf: (name) => state.get(name).setup,
        }),
      )
    } catch (err) {
      paired.set(c, { error: String(err.message ?? err).split('\n')[0] })
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
/** Median of the per-round ratios of two variants (round i of one over round i of the other). */
const roundsRatio = (a, b) => {
  const x = by[a]?.rpsByRound
  const y = by[b]?.rpsByRound
  return x && y ? median(x.slice(0, y.length).map((v, i) => v / y[i])) : undefined
}
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
const fixed = (x) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(2))
const range = (r) => `${fixed(r.median)} (${fixed(r.low)}–${fixed(r.high)})`
const comparisons = COMPARISONS.map((c) => {
  const p = paired.get(c)
  return {
    label: c.label,
    bar: c.bar,
    ...(p?.error ? { error: p.error } : {}),
    ...(p && !p.error
      ? {
          throughput: p.throughput,
          cpuPerRequest: p.cpuPerRequest,
          roundMedians: p.roundMedians,
          faults: p.faults,
        }
      : {}),
    rounds: roundsRatio(c.a, c.b),
  }
})
console.log(
  `\nratios, a over b — paired: ${args.runs} rounds × ${args.slices} pairs of ${args.slice} s slices, both servers up (median, lowest–highest; CPU: server CPU per request, a over b); rounds: the separate runs above`,
)
console.log(
  '  ' +
    'comparison'.padEnd(44) +
    'req/s, paired'.padEnd(20) +
    'CPU/request'.padEnd(13) +
    'rounds'.padEnd(8) +
    'bar',
)
for (const c of comparisons) {
  const bar = c.bar === undefined ? '' : `>= ${c.bar}`
  const head = `  ${c.label.padEnd(44)}`
  if (c.error) console.log(`${head}failed: ${c.error}`)
  else
    console.log(
      head +
        (c.throughput ? range(c.throughput) : 'n/a').padEnd(20) +
        fixed(c.cpuPerRequest?.median).padEnd(13) +
        fixed(c.rounds).padEnd(8) +
        bar.padEnd(8) +
        (c.roundMedians ? `per round: ${c.roundMedians.map(fixed).join(' ')}` : '') +
        (c.faults ? `  (${c.faults} errors or non-2xx)` : ''),
    )
}
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

// Writes beside reads, with the embedded store and the Redis store.
let writes
if (!args.only || args.only.includes('writes')) {
  process.stderr.write('bench: writes (POST then GET) beside reads, embedded and Redis stores\n')
  writes = await measureWrites(root, {
    slices: Math.max(1, args.slices),
    seconds: args.slice,
    connections: args.connections,
  })
  console.log(
    `\nwrites on the Douane-shaped contract: POST a declaration then GET it, beside a GET of a stored one, and bare node:http answering the same bytes (${args.slices} cycles of four ${args.slice} s slices in turning order, medians)`,
  )
  for (const w of writes) {
    if (w.error) console.log(`  ${w.store.padEnd(18)}failed: ${w.error}`)
    else
      console.log(
        `  ${w.store.padEnd(18)}read ${Math.round(w.readRps)} req/s (p99 ${w.readP99} ms); write ${Math.round(w.writeRps)} req/s = ${Math.round(w.writePairsPerSecond)} POST+GET pairs/s (p99 ${w.writeP99} ms); write/read ${w.ratio.toFixed(2)}${w.faults ? `  (${w.faults} errors or non-2xx)` : ''}\n` +
          `  ${''.padEnd(18)}node:http answering the same bytes in the same cycles: read ${Math.round(w.reference.readRps)} req/s, write ${Math.round(w.reference.writeRps)} req/s; share of node:http: read ${w.readShare.toFixed(2)}, write ${w.writeShare.toFixed(2)}`,
      )
  }
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

saveResults({
  at: new Date().toISOString(),
  args,
  share: shareSection,
  console: consoleSection,
  results,
  comparisons,
  generation,
  writes,
})
