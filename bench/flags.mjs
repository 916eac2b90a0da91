#!/usr/bin/env node
// One build, one bench variant, started under several sets of Node/V8 flags and loaded in turn in
// short slices (as `builds.mjs` does for two builds): CPU per request, throughput and peak RSS of
// each, to choose the process's heap settings on figures.
//
// Usage: npm run build && node bench/flags.mjs [--variant sandbox-full-file] [--slices 10]
//          [--seconds 2] [--connections 50] [--paced 2000] -- '<flags A>' '<flags B>' ...   ('' = none)
// With --paced, each server also takes fixed-rate rounds of 10 s at that rate, in turn: p99 per round.
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadInTurn, median, peakRss, startVariant, stop } from './lib.mjs'
import { paced } from './paced.mjs'
import { scenarios } from './scenarios.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const list = process.argv.slice(2)
const split = list.indexOf('--')
const sets = split === -1 ? [] : list.slice(split + 1)
const args = { variant: 'sandbox-full-file', slices: 10, seconds: 2, connections: 50, paced: 0 }
const named = split === -1 ? list : list.slice(0, split)
for (let i = 0; i < named.length; i += 2) {
  const key = named[i].replace(/^--/, '')
  if (!(key in args) || named[i + 1] === undefined) {
    console.error(`flags: unknown flag or missing value: ${named[i]}`)
    process.exit(2)
  }
  args[key] = key === 'variant' ? named[i + 1] : Number(named[i + 1])
}
if (sets.length < 2) {
  console.error(
    "usage: node bench/flags.mjs [--variant name] -- '<node flags A>' '<node flags B>' ...",
  )
  process.exit(2)
}
const contract =
  process.env.SANDBOX_REAL_CONTRACT ?? resolve(root, '../shared/contracts/api_entreprise.yaml')

async function up(flags) {
  const variant = scenarios(root).find((s) => s.name === args.variant)
  if (!variant) throw new Error(`flags: no variant ${args.variant}`)
  const nodeFlags = flags.split(' ').filter(Boolean)
  const s = await startVariant(variant, { at: root, contract, nodeFlags })
  return { flags, ...s, cpu: [], rps: [], p99: [] }
}

const servers = []
try {
  for (const flags of sets) servers.push(await up(flags))
  await loadInTurn(servers, { ...args, name: (s) => s.flags })
  if (args.paced)
    for (let i = 0; i < 3; i++)
      for (const s of i % 2 ? [...servers].reverse() : servers) {
        const url = new URL(s.req.url)
        const r = await paced({
          port: s.port,
          path: url.pathname + url.search,
          headers: s.req.headers,
          rate: args.paced,
          seconds: 10,
        })
        s.p99.push(r.p99)
      }
  for (const s of servers) s.rss = peakRss(s.child.pid)
} finally {
  for (const s of servers) {
    await stop(s.child)
    await s.after()
  }
}
const [first] = servers
for (const s of servers)
  console.log(
    `'${s.flags}': ${median(s.cpu).toFixed(1)} µs CPU/request (over first: ${median(s.cpu.map((c, i) => c / first.cpu[i])).toFixed(2)}), ${Math.round(median(s.rps))} req/s, peak RSS ${s.rss} MB${s.p99.length ? `, p99 at ${args.paced} req/s ${s.p99.map((p) => p.toFixed(1)).join(' / ')} ms` : ''}`,
  )
