// Bench section: is the sandbox still responsive to other clients while it holds 1000 banned
// connections? One client earns a ban, opens 1000 sockets that the sandbox holds without a byte,
// and another client's throughput is measured meanwhile, beside the same load with nothing held.
import { spawn } from 'node:child_process'
import { connect } from 'node:net'
import autocannon from 'autocannon'

const ADMIN = 'bench-admin-token-0123456789abcdef'
const PATH =
  '/v3/insee/sirene/unites_legales/418166096?context=bench&recipient=13002526500013&object=bench'

async function client(base, extra = {}) {
  const made = await fetch(`${base}/__sandbox/clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      privileges: ['unites_legales_etablissements_insee'],
      token_lifetime: 3600,
      ...extra,
    }),
  }).then((r) => r.json())
  const token = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: made.client_id,
      client_secret: made.client_secret,
    }),
  }).then((r) => r.json())
  return token.access_token
}

/** Opens a raw socket that sends one API request; counts the bytes it ever receives. */
function heldSocket(port, token, counter) {
  return new Promise((ready) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(`GET ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`)
      ready(s)
    })
    s.on('data', (b) => (counter.bytes += b.length))
    s.on('close', () => (counter.closed += 1))
    s.on('error', () => undefined)
  })
}

const load = (url, headers, duration, connections) =>
  new Promise((done, fail) =>
    autocannon({ url, headers, duration, connections }, (err, r) =>
      err
        ? fail(err)
        : done({
            rps: r.requests.average,
            p99: r.latency.p99,
            errors: r.errors + r.timeouts,
            non2xx: r.non2xx,
          }),
    ),
  )

/** Runs the section against the bundled CLI on `port`; returns the figures. */
export async function measureHeldConnections({
  root,
  contract,
  port,
  duration,
  connections,
  held = 1000,
}) {
  const child = spawn(
    process.execPath,
    [
      `${root}/dist/bundle/sandbox-twin.mjs`,
      'serve',
      '--port',
      String(port),
      '--contract',
      contract,
      '--state',
      'memory',
      '--admin-token',
      ADMIN,
      '--no-journal',
    ],
    { stdio: 'ignore' },
  )
  const base = `http://127.0.0.1:${port}`
  try {
    for (let i = 0; i < 3000; i++) {
      if (
        await fetch(`${base}/__sandbox/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break
      await new Promise((r) => setTimeout(r, 10))
    }
    const bad = await client(base, { rate_limits: { groups: { json: 1 } } })
    // The measured client has no limit of its own: the point is the server's responsiveness, not its rules.
    const good = await client(base, { rate_limits: 'off' })
    // One call in the window, ten 429s, then the call that earns the ban (threshold 10).
    for (let i = 0; i < 12; i++)
      await fetch(base + PATH, {
        headers: { authorization: `Bearer ${bad}` },
        signal: AbortSignal.timeout(500),
      }).then(
        (r) => r.arrayBuffer(),
        () => undefined,
      )
    const before = await load(
      base + PATH,
      { authorization: `Bearer ${good}` },
      duration,
      connections,
    )
    const counter = { bytes: 0, closed: 0 }
    const sockets = []
    for (let i = 0; i < held; i++) sockets.push(await heldSocket(port, bad, counter))
    const status = await fetch(`${base}/__sandbox/bans`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    }).then((r) => r.json())
    const during = await load(
      base + PATH,
      { authorization: `Bearer ${good}` },
      duration,
      connections,
    )
    // One more than the bound: closed at once, without a byte.
    const extra = { bytes: 0, closed: 0 }
    await heldSocket(port, bad, extra)
    await new Promise((r) => setTimeout(r, 200))
    for (const s of sockets) s.destroy()
    return {
      held: status.held_connections,
      heldBytes: counter.bytes,
      overBoundClosed: extra.closed === 1 && extra.bytes === 0,
      before,
      during,
    }
  } finally {
    child.kill('SIGTERM')
  }
}
