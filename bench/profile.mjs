#!/usr/bin/env node
// CPU profile of a sandbox variant under load: the server runs from the compiled modules (dist/mock,
// so that each function is attributed to its source file) under `node --cpu-prof`, is loaded for
// `--seconds` by wrk (autocannon when wrk is missing), then stopped; the profile's heaviest modules
// and functions are printed and the profile is kept for a viewer (Chrome DevTools, speedscope).
//
// Usage: npm run build && node bench/profile.mjs [--variant sandbox-full-file] [--seconds 10]
//                                                 [--connections 50] [--top 30] [--out dir]
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, hasWrk, load, loadWrk, startServer, stop } from './lib.mjs'
import { printSummary, summariseProfile } from './profile-summary.mjs'
import { scenarios } from './scenarios.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = { variant: 'sandbox-full-file', seconds: 10, connections: 50, top: 30, out: undefined }
const list = process.argv.slice(2)
for (let i = 0; i < list.length; i += 2) {
  const key = list[i].replace(/^--/, '')
  if (!(key in args)) throw new Error(`profile: unknown flag ${list[i]}`)
  args[key] = ['variant', 'out'].includes(key) ? list[i + 1] : Number(list[i + 1])
}
const contract =
  process.env.SANDBOX_REAL_CONTRACT ?? resolve(root, '../shared/contracts/api_entreprise.yaml')
const variant = scenarios(root).find((s) => s.name === args.variant)
if (!variant) throw new Error(`profile: no variant ${args.variant}`)
const out = args.out ?? mkdtempSync(join(tmpdir(), 'sandbox-twin-profile-'))

const setup = variant.before ? await variant.before() : {}
try {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const spec = variant.server(port, contract, setup)
  // The same flags, on the compiled modules instead of the bundle.
  const argv = [
    '--cpu-prof',
    '--cpu-prof-dir',
    out,
    resolve(root, 'dist/mock/cli/main.js'),
    ...spec.argv.slice(1),
  ]
  const server = await startServer(
    variant.name,
    process.execPath,
    argv,
    await variant.request(base, setup),
    spec.env,
    root,
  )
  try {
    if (variant.prepare) await variant.prepare(base, undefined, setup)
    const req = await variant.request(base, setup, true)
    const r = await (hasWrk() ? loadWrk : load)(req.url, req.headers, {
      connections: args.connections,
      duration: args.seconds,
    })
    console.log(
      `${variant.name} under load for ${args.seconds} s: ${Math.round(r.rps)} req/s, p99 ${r.p99} ms, ${r.non2xx} non-2xx, ${r.errors} errors`,
    )
  } finally {
    await stop(server.child)
  }
} finally {
  if (variant.after) await variant.after(setup)
}
const file = readdirSync(out).find((f) => f.endsWith('.cpuprofile'))
if (!file) throw new Error(`profile: the server wrote no profile in ${out}`)
console.log(`profile: ${join(out, file)}`)
printSummary(summariseProfile(join(out, file), join(root, 'dist')), args.top)
