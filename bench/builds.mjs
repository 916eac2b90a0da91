#!/usr/bin/env node
// Two builds of the project, one bench variant, paired: both servers up at once, warmed, then loaded
// in turn with wrk in short slices (A B, B A, ...), so that whatever else the shared machine does lands
// on both within seconds. Prints each build's server CPU per request (all threads, from /proc) and
// throughput, and the median of the per-pair CPU ratios (this build over the other).
//
// Usage: npm run build && node bench/builds.mjs <built checkout> [--variant sandbox-noauth]
//                                                [--slices 12] [--seconds 2] [--connections 50]
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadInTurn, median, startVariant, stop } from './lib.mjs'
import { scenarios } from './scenarios.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const list = process.argv.slice(2)
const args = { variant: 'sandbox-noauth', slices: 12, seconds: 2, connections: 50 }
const other = list[0] && !list[0].startsWith('--') ? resolve(list.shift()) : undefined
for (let i = 0; i < list.length; i += 2) {
  const key = list[i].replace(/^--/, '')
  if (!(key in args) || list[i + 1] === undefined) {
    console.error(`builds: unknown flag or missing value: ${list[i]}`)
    process.exit(2)
  }
  args[key] = key === 'variant' ? list[i + 1] : Number(list[i + 1])
}
if (!other) {
  console.error('usage: node bench/builds.mjs <built checkout> [--variant name] [--slices n]')
  process.exit(2)
}
const contract =
  process.env.SANDBOX_REAL_CONTRACT ?? resolve(root, '../shared/contracts/api_entreprise.yaml')

async function up(at) {
  const variant = scenarios(at).find((s) => s.name === args.variant)
  if (!variant) throw new Error(`builds: no variant ${args.variant}`)
  return { at, ...(await startVariant(variant, { at, contract })), cpu: [], rps: [] }
}

const servers = [await up(root), await up(other)]
try {
  await loadInTurn(servers, { ...args, name: (s) => s.at })
} finally {
  for (const s of servers) {
    await stop(s.child)
    await s.after()
  }
}
const [a, b] = servers
for (const s of servers)
  console.log(
    `${s.at}: ${median(s.cpu).toFixed(1)} µs CPU per request (slices: ${s.cpu.map((c) => c.toFixed(0)).join(' ')}), ${Math.round(median(s.rps))} req/s`,
  )
console.log(
  `${args.variant}: CPU per request, this build over ${other}: ${median(a.cpu.map((c, i) => c / b.cpu[i])).toFixed(2)} (median of ${args.slices} pairs)`,
)
