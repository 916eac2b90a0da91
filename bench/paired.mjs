// Bench section: what one feature costs, measured on two servers running at the same time. Both
// variants are started, warmed, then loaded in turn in short slices (A B, B A, A B...), so that
// whatever else the shared machine does lands on both within seconds. Each pair of slices gives a
// throughput ratio and a CPU-per-request ratio (the server's own CPU time, all threads, per answer:
// less sensitive to other load than throughput); the section reports their medians.
import { cpuMs, freePort, load, median, startServer, stop } from './lib.mjs'

/** Starts a variant and makes it ready for load; resolves with what a slice needs. */
async function up(variant, { root, contract, setup }) {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const { command, argv, env } = variant.server(port, contract, setup)
  const server = await startServer(
    variant.name,
    command,
    argv,
    await variant.request(base, setup),
    env,
    root,
  )
  try {
    if (variant.prepare) await variant.prepare(base, undefined, setup)
    const req = await variant.request(base, setup, true)
    return { name: variant.name, child: server.child, req }
  } catch (err) {
    await stop(server.child)
    throw err
  }
}

/** One slice of load on one running variant: its throughput and its CPU per answer. */
async function slice(server, options) {
  const before = cpuMs(server.child.pid)
  const r = await load(server.req.url, server.req.headers, options)
  const answers = r.rps * options.duration
  return {
    rps: r.rps,
    cpuUsPerRequest: answers > 0 ? ((cpuMs(server.child.pid) - before) * 1000) / answers : NaN,
    non2xx: r.non2xx,
    errors: r.errors,
  }
}

/** Median, lowest and highest of a list of ratios. */
const spread = (xs) => ({ median: median(xs), low: Math.min(...xs), high: Math.max(...xs) })

/** One round: both variants started, warmed, then loaded in `slices` pairs of slices; both stopped. */
async function round(a, b, options) {
  const { slices, seconds, connections } = options
  const load = { duration: seconds, connections }
  const servers = []
  try {
    servers.push(await up(a, { ...options, setup: options.setupOf(a.name) }))
    servers.push(await up(b, { ...options, setup: options.setupOf(b.name) }))
    const [sa, sb] = servers
    for (const s of servers) await slice(s, load) // warm-up: JIT, caches, pools
    const pairs = []
    for (let i = 0; i < slices; i++) {
      const order = i % 2 === 0 ? [sa, sb] : [sb, sa]
      const got = new Map()
      for (const s of order) got.set(s, await slice(s, load))
      pairs.push({ a: got.get(sa), b: got.get(sb) })
    }
    return pairs
  } finally {
    for (const s of servers) await stop(s.child)
  }
}

/**
 * Compares variant `a` with variant `b` (a over b) over `rounds` rounds, each on a new pair of
 * processes (a process's own luck, its JIT's choices, does not decide the figure). Returns the
 * median ratios over every pair of slices, with their lowest and highest, and each round's median.
 */
export async function comparePaired(a, b, options) {
  const pairs = []
  const roundMedians = []
  for (let r = 0; r < options.rounds; r++) {
    const got = await round(a, b, options)
    pairs.push(...got)
    roundMedians.push(median(got.map((p) => p.a.rps / p.b.rps)))
  }
  return {
    throughput: spread(pairs.map((p) => p.a.rps / p.b.rps)),
    cpuPerRequest: spread(pairs.map((p) => p.a.cpuUsPerRequest / p.b.cpuUsPerRequest)),
    roundMedians,
    faults: pairs.reduce((n, p) => n + p.a.non2xx + p.a.errors + p.b.non2xx + p.b.errors, 0),
    pairs,
  }
}
