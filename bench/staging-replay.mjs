#!/usr/bin/env node
// Replays API Entreprise's public staging corpus against the sandbox: the corpus dropped in as
// --fixtures on the real contract, every case requested with its own params, status and body compared.
//
// Usage: npm run build && node bench/staging-replay.mjs <corpus>/payloads
//   (git clone --depth 1 https://github.com/etalab/siade_staging_data /tmp/siade_staging_data)
// The real contract comes from SANDBOX_REAL_CONTRACT, else ../shared/contracts/api_entreprise.yaml.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual } from 'node:util'
import { parse } from 'yaml'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const corpus = process.argv[2]
const contract =
  process.env.SANDBOX_REAL_CONTRACT ?? resolve(root, '../shared/contracts/api_entreprise.yaml')
if (!corpus || !existsSync(corpus)) {
  console.error('usage: node bench/staging-replay.mjs <siade_staging_data>/payloads')
  process.exit(2)
}
if (!existsSync(contract)) {
  console.error(
    `staging-replay: the real contract is missing (${contract}); set SANDBOX_REAL_CONTRACT.`,
  )
  process.exit(2)
}
const { createSandbox } = await import(resolve(root, 'dist/bundle/index.mjs'))
const logs = []
const sandbox = await createSandbox({
  contract,
  fixtures: resolve(corpus),
  state: 'memory',
  auth: false,
  rateLimits: 'off',
  demoClient: false,
  log: (line) => logs.push(line),
})
const { url } = await sandbox.listen(0, '127.0.0.1')
const operations = new Map(sandbox.context.contract.operations.map((op) => [op.id, op]))
const TRACE = { context: 'staging-replay', recipient: '13002526500013', object: 'staging-replay' }

let total = 0
const failures = []
for (const folder of readdirSync(corpus).sort()) {
  const op = operations.get(folder)
  if (!op) continue
  for (const file of readdirSync(join(corpus, folder))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const doc = parse(readFileSync(join(corpus, folder, file), 'utf8'))
    total++
    const params = Object.fromEntries(
      Object.entries(doc.params ?? {}).map(([k, v]) => [k, String(v)]),
    )
    const pathNames = new Set(op.parameters.filter((p) => p.in === 'path').map((p) => p.name))
    const path = op.path.replace(/\{(\w+)\}/g, (_m, k) => encodeURIComponent(params[k] ?? ''))
    const query = new URLSearchParams(TRACE)
    for (const [k, v] of Object.entries(params)) if (!pathNames.has(k)) query.set(k, v)
    const res = await fetch(`${url}${path}?${query}`)
    const body = await res.text()
    const expected =
      typeof doc.payload === 'string' ? JSON.parse(doc.payload) : (doc.payload ?? null)
    let got
    try {
      got = JSON.parse(body)
    } catch {
      got = body
    }
    if (res.status !== Number(doc.status) || !isDeepStrictEqual(got, expected))
      failures.push(`${folder}/${file}: ${res.status} (expected ${doc.status})`)
  }
}
await sandbox.close()
console.log(logs.find((l) => l.startsWith('fixtures ')) ?? '')
for (const f of failures) console.log(`not reproduced: ${f}`)
console.log(`staging cases reproduced: ${total - failures.length} of ${total}`)
process.exit(failures.length ? 1 : 0)
