// Helpers shared by the bench's sections: loopback ports, server processes, load, figures.
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import autocannon from 'autocannon'

/** A free loopback port. */
export function freePort() {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => done(port))
    })
  })
}

/** Peak resident memory of a process (VmHWM), MB. */
export function peakRss(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Math.round(Number(m[1]) / 1024) : NaN
}

/** CPU time a process has used so far, all of its threads, ms (Linux: /proc/<pid>/stat, 10 ms ticks). */
export function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** Starts a server process and waits until `probe` answers 200; returns the time it took. */
export async function startServer(name, command, argv, probe, env = {}, cwd = process.cwd()) {
  const started = performance.now()
  const child = spawn(command, argv, {
    cwd,
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

/**
 * Starts a bench variant (`scenarios.mjs`) of the build at `at` and makes it ready for load: its
 * setup, a server on a free port (`nodeFlags` before the script; `argv` rewrites the script's
 * arguments), its preparation (a client and a token for authenticated variants). Resolves with the
 * port, the child, the request a load sends, and `after` (the setup's clean-up).
 */
export async function startVariant(variant, { at, contract, nodeFlags = [], argv = (a) => a }) {
  const setup = variant.before ? await variant.before() : {}
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const spec = variant.server(port, contract, setup)
  const probe = await variant.request(base, setup)
  const s = await startServer(
    variant.name,
    spec.command,
    [...nodeFlags, ...argv(spec.argv)],
    probe,
    spec.env,
    at,
  )
  if (variant.prepare) await variant.prepare(base, undefined, setup)
  const req = await variant.request(base, setup, true)
  return { port, child: s.child, req, after: () => variant.after?.(setup) }
}

/**
 * Loads servers started by {@link startVariant} in turn, in `slices` slices of `seconds` each (A B, then
 * B A, ...), after one warm-up slice each; appends to each server's `cpu` (server CPU per request,
 * µs, all threads) and `rps`. `name(server)` labels a slice that met errors.
 */
export async function loadInTurn(servers, { slices, seconds, connections, name }) {
  const slice = (s) => loadWrk(s.req.url, s.req.headers, { connections, duration: seconds })
  for (const s of servers) await slice(s)
  for (let i = 0; i < slices; i++) {
    for (const s of i % 2 ? [...servers].reverse() : servers) {
      const before = cpuMs(s.child.pid)
      const x = await slice(s)
      s.cpu.push(((cpuMs(s.child.pid) - before) * 1000) / Math.max(1, x.rps * seconds))
      s.rps.push(x.rps)
      if (x.non2xx || x.errors) console.log(`${name(s)}: ${x.non2xx} non-2xx, ${x.errors} errors`)
    }
  }
}

export function stop(child) {
  return new Promise((done) => {
    if (child.exitCode !== null) return done()
    child.once('exit', () => done())
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 5000).unref()
  })
}

/** Loads a URL with autocannon for `duration` s over `connections` connections. */
export function load(url, headers, { connections, duration }) {
  return new Promise((done, fail) => {
    autocannon({ url, headers, connections, duration }, (err, r) => {
      if (err) return fail(err)
      done({
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
      })
    })
  })
}

/** True when wrk is installed: a load generator in C, lighter than autocannon beside the server. */
export const hasWrk = () => spawnSync('wrk', ['--version']).error === undefined

const WRK_UNITS = { us: 0.001, ms: 1, s: 1000 }

/**
 * Loads a URL with wrk (one thread) for `duration` s over `connections` connections; same figures as
 * `load`. On two cores, autocannon's own JavaScript takes most of a core; wrk's C takes less, so the
 * ceiling it measures is the server's, not the load generator's.
 */
export function loadWrk(url, headers, { connections, duration }) {
  const argv = ['-t1', `-c${connections}`, `-d${duration}s`, '--latency']
  for (const [k, v] of Object.entries(headers ?? {})) argv.push('-H', `${k}: ${v}`)
  return new Promise((done, fail) => {
    const child = spawn('wrk', [...argv, url], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (c) => (out += c))
    child.stderr.on('data', (c) => (out += c))
    child.once('error', fail)
    child.once('exit', (code) => {
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)
      if (code !== 0 || !rps) return fail(new Error(`wrk failed (${code}): ${out}`))
      const pct = (p) => {
        const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out)
        return m ? Number((Number(m[1]) * WRK_UNITS[m[2]]).toFixed(2)) : NaN
      }
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
        out,
      )
      done({
        rps: Number(rps[1]),
        p50: pct(50),
        p99: pct(99),
        non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
        // A read error is the server closing a kept-alive connection; wrk counts each one.
        errors: socket ? socket.slice(1).reduce((n, x) => n + Number(x), 0) : 0,
      })
    })
  })
}

export const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** The admin token every bench sandbox is started with. */
export const ADMIN = 'bench-admin-token-0123456789abcdef'

/**
 * A real access token from a running sandbox: a client created by the admin API with `privileges`,
 * then `POST /oauth/token` (client credentials). Tokens last an hour: longer than any section.
 */
export async function clientToken(base, privileges) {
  const created = await fetch(`${base}/__sandbox/clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ label: 'bench', privileges, token_lifetime: 3600 }),
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
  if (!res.ok) throw new Error(`token request failed: ${res.status} ${await res.text()}`)
  return (await res.json()).access_token
}

/**
 * A Redis server for the Redis-store runs: a child of the bench (never daemonized, so it cannot
 * outlive it), on loopback and a free port, no persistence. Resolves once it is ready, with its
 * process (stop it with `stop`) and its URL.
 */
export async function startRedis() {
  const probe = spawnSync('redis-server', ['--version'])
  if (probe.error || probe.status !== 0)
    throw new Error('redis-server is not installed (apt-get install -y redis-server)')
  const port = await freePort()
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  process.once('exit', () => child.kill('SIGKILL'))
  await new Promise((ready, fail) => {
    let out = ''
    child.stdout.on('data', (c) => {
      out += c
      if (out.includes('Ready to accept connections')) ready()
    })
    child.once('exit', (code) => fail(new Error(`redis-server exited (${code}): ${out}`)))
  })
  return { child, url: `redis://127.0.0.1:${port}/0` }
}
