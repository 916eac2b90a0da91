#!/usr/bin/env node
// npm run soak: a bounded soak of sandbox-twin with its default file state. Steady mixed traffic at a
// fixed rate (valid calls, bad tokens, distinct large headers, failed logins) for --duration seconds,
// RSS sampled from /proc, then every answer the client received is looked for in the journal.
// Valid calls come from 127.0.0.1, the hostile traffic from 127.0.0.2 (another address on the
// loopback), over keep-alive connections (node:http: the load costs the machine less than fetch).
// Loopback only. Opt-in: not part of npm test.
//
// Usage: npm run soak -- [--duration 600] [--rate 500] [--warmup 60]
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = { duration: 600, rate: 500, warmup: 60, inflight: 400 }
const argv = process.argv.slice(2)
for (let i = 0; i < argv.length; i += 2) {
  const key = argv[i].replace(/^--/, '')
  if (!(key in args) || !Number.isFinite(Number(argv[i + 1])) || Number(argv[i + 1]) <= 0) {
    console.error(`soak: unknown or invalid flag ${argv[i]} ${argv[i + 1] ?? ''}`)
    process.exit(2)
  }
  args[key] = Number(argv[i + 1])
}
if (args.warmup >= args.duration) args.warmup = Math.floor(args.duration / 10)

const ADMIN = randomBytes(16).toString('hex')
const dir = mkdtempSync(join(tmpdir(), 'sandbox-twin-soak-'))
const state = join(dir, 'state.json')
const API =
  '/v3/insee/sirene/unites_legales/418166096?context=soak&recipient=13002526500013&object=soak'

const child = spawn(
  process.execPath,
  [
    join(root, 'dist/bundle/sandbox-twin.mjs'),
    'serve',
    '--port',
    '0',
    '--state',
    state,
    '--admin-token',
    ADMIN,
    '--rate-limits',
    'off',
  ],
  { stdio: ['ignore', 'pipe', 'pipe'] },
)
let banner = ''
child.stderr.on('data', () => undefined)
const url = await new Promise((ok, fail) => {
  child.stdout.on('data', (c) => {
    banner += c
    const m = /listening on (http:\/\/\S+)/.exec(banner)
    if (m && /demo client:/.test(banner)) ok(m[1])
  })
  child.once('exit', (code) => fail(new Error(`sandbox exited (${code}) before listening`)))
})
const [, demoId, demoSecret] = /demo client:\s+(\S+)\s+secret: (\S+)/.exec(banner)
const basic = (id, secret) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

const target = new URL(url)
const agents = {
  friend: new Agent({ keepAlive: true, maxSockets: 256 }),
  hostile: new Agent({ keepAlive: true, maxSockets: 256, localAddress: '127.0.0.2' }),
  single: new Agent({ keepAlive: false, localAddress: '127.0.0.2' }),
}
/** One request over node:http; resolves the status once the body is read. */
function send(agent, method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, method, path, headers, agent },
      (res) => {
        res.on('data', () => undefined)
        res.on('end', () => resolve(res.statusCode))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** CPU seconds the sandbox used so far (user + system), from /proc. */
const cpuSeconds = () => {
  const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(f[11]) + Number(f[12])) / 100
}

const rss = () =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024

async function newToken() {
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: basic(demoId, demoSecret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  })
  return (await res.json()).access_token
}
let token = await newToken()
let tokensIssued = 1

const sent = { valid: 0, badToken: 0, largeHeader: 0, oversized: 0, failedLogin: 0 }
const answered = { api: 0, authFailure: 0, oversized431: 0 }
const statuses = {}
let errors = 0
/** Client-side errors by code (a connection reset or closed under a request, mostly). */
const errorKinds = {}
let skipped = 0
let inflight = 0

async function one(kind) {
  inflight++
  sent[kind]++
  try {
    let status
    if (kind === 'failedLogin') {
      status = await send(
        agents.hostile,
        'POST',
        '/oauth/token',
        {
          authorization: basic(`made-up-${randomBytes(6).toString('hex')}`, 'Wrong-Secret-123!'),
          'content-type': 'application/x-www-form-urlencoded',
        },
        'grant_type=client_credentials',
      )
    } else {
      const bearer =
        kind === 'valid'
          ? token
          : kind === 'badToken'
            ? `eyJ${randomBytes(24).toString('base64url')}.e30.${randomBytes(8).toString('hex')}`
            : `eyJ${randomBytes(8).toString('hex')}${'A'.repeat(kind === 'oversized' ? 20_000 : 12_000)}.e30.x`
      // An oversized request gets 431 and its connection closed: it goes on a connection of its own,
      // so that no other request is queued on a socket the server is closing.
      const agent =
        kind === 'valid' ? agents.friend : kind === 'oversized' ? agents.single : agents.hostile
      status = await send(agent, 'GET', API, { authorization: `Bearer ${bearer}` })
    }
    statuses[status] = (statuses[status] ?? 0) + 1
    if (kind === 'failedLogin') answered.authFailure++
    else if (status === 431) answered.oversized431++
    else answered.api++
  } catch (err) {
    errors++
    const code = `${kind}:${err?.code ?? err?.message ?? 'error'}`
    errorKinds[code] = (errorKinds[code] ?? 0) + 1
  } finally {
    inflight--
  }
}

/** The mix, per 20 requests: 14 valid calls, 2 bad tokens, 2 distinct 12 KB headers (1 of them over 16 KiB every 10th time), 2 failed logins. */
const MIX = [
  'valid',
  'valid',
  'valid',
  'valid',
  'valid',
  'valid',
  'valid',
  'badToken',
  'largeHeader',
  'failedLogin',
]
let n = 0
const pick = () => {
  const kind = MIX[n++ % MIX.length]
  return kind === 'largeHeader' && n % 100 === 9 ? 'oversized' : kind
}

const samples = []
const loadBefore = loadavg()
const cpuBefore = cpuSeconds()
const started = Date.now()
const endAt = started + args.duration * 1000
const sampler = setInterval(
  () => samples.push({ t: (Date.now() - started) / 1000, rssMb: rss() }),
  5000,
)
const refresher = setInterval(async () => {
  token = await newToken()
  tokensIssued++
}, 240_000)
const TICK = 10 // ms
let issued = 0
console.log(`soak: ${args.rate} req/s for ${args.duration} s against ${url} (state ${state})`)
await new Promise((done) => {
  const tick = setInterval(() => {
    const now = Date.now()
    if (now >= endAt) {
      clearInterval(tick)
      return done()
    }
    // Open loop: requests are due at a fixed rate of wall time, whatever the answers' speed or a
    // late timer on a busy machine.
    const due = Math.floor(((now - started) * args.rate) / 1000)
    while (issued < due) {
      issued++
      if (inflight >= args.inflight) skipped++
      else void one(pick())
    }
  }, TICK)
})
clearInterval(sampler)
clearInterval(refresher)
while (inflight > 0) await new Promise((r) => setTimeout(r, 50))
const elapsed = (Date.now() - started) / 1000
const endRss = rss()
const cpuUsed = cpuSeconds() - cpuBefore
const loadAfter = loadavg()

// Every answer received should have its entry: api calls (431s never reach the pipeline), failed logins.
const res = await fetch(`${url}/__sandbox/journal?format=jsonl`, {
  headers: { authorization: `Bearer ${ADMIN}` },
})
const counts = {}
for (const line of (await res.text()).split('\n')) {
  if (!line) continue
  const e = JSON.parse(line)
  counts[e.kind] = (counts[e.kind] ?? 0) + 1
}
child.kill('SIGTERM')
await new Promise((r) => child.once('exit', r))

const after = samples.filter((s) => s.t >= args.warmup)
const base = after[0]?.rssMb ?? samples[0]?.rssMb
const last = samples.at(-1)?.rssMb ?? endRss
const peak = Math.max(...samples.map((s) => s.rssMb))
const journalApi = counts.api ?? 0
const journalFail = counts['auth-failure'] ?? 0
const report = {
  duration_s: Math.round(elapsed),
  target_rps: args.rate,
  achieved_rps: Math.round(Object.values(answered).reduce((a, b) => a + b, 0) / elapsed),
  sent,
  answered,
  statuses,
  client_errors: errors,
  client_error_kinds: errorKinds,
  skipped_over_inflight_cap: skipped,
  tokens_issued: tokensIssued,
  machine: {
    cpus: (await import('node:os')).cpus().length,
    load_before: loadBefore.map((l) => Math.round(l * 100) / 100),
    load_after: loadAfter.map((l) => Math.round(l * 100) / 100),
  },
  sandbox_cpu_s: Math.round(cpuUsed),
  sandbox_cpu_share: Math.round((cpuUsed / elapsed) * 100) / 100,
  rss_mb: { after_warmup: Math.round(base), end: Math.round(last), peak: Math.round(peak) },
  rss_growth_after_warmup_pct: Math.round(((last - base) / base) * 1000) / 10,
  journal: { api: journalApi, auth_failure: journalFail, token: counts.token ?? 0 },
  journal_missing: {
    api: Math.max(0, answered.api - journalApi),
    auth_failure: Math.max(0, answered.authFailure - journalFail),
  },
}
console.log(JSON.stringify(report, null, 2))
const ok =
  report.rss_growth_after_warmup_pct < 10 &&
  report.journal_missing.api === 0 &&
  report.journal_missing.auth_failure === 0
console.log(ok ? 'soak: held (RSS growth under 10 %, no journal entry missing)' : 'soak: NOT held')
process.exit(ok ? 0 : 1)
