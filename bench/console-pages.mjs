#!/usr/bin/env node
// Bench section: how long each main page of the web console takes, in headless Chromium (Debian's
// `chromium`, driven by playwright-core), on the built sandbox serving the real contract with its
// default (file) state. A reuser signs up, makes `--calls` API calls (the last one a 429), starts a
// certification; then each page is loaded `--loads` times by the reuser (and the operator's pages by
// the operator) after one unmeasured load. Per page, from the browser's Navigation Timing: the
// server's time (request sent to first byte, median and max), the page's `load` event (median and
// max, assets cached as a browser navigating the console has them) and the first, cold load.
//
// Usage: npm run build && node bench/console-pages.mjs [--loads 7] [--calls 200] [--json file]
// (also `npm run bench -- --only console`).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ADMIN, freePort, median, startServer, stop } from './lib.mjs'

const PATH =
  '/v3/insee/sirene/unites_legales/418166096?context=bench&recipient=13002526500013&object=bench'
const OPERATION = 'api_entreprise_v3_insee_unites_legales'
const SECRET = 'Bench-Secret-2024!'

/** The pages measured: what a reuser opens, then what the operator opens. */
export const CONSOLE_PAGES = [
  { path: '/console/', who: 'reuser' },
  { path: '/console/account', who: 'reuser' },
  { path: '/console/reference', who: 'reuser' },
  { path: `/console/reference/${OPERATION}`, who: 'reuser' },
  { path: `/console/try/${OPERATION}`, who: 'reuser' },
  { path: '/console/journal', who: 'reuser' },
  { path: '/console/minimum', who: 'reuser' },
  { path: '/console/certification', who: 'reuser' },
  { path: '/console/status', who: 'reuser' },
  { path: '/console/admin', who: 'operator' },
  { path: '/console/admin/journal', who: 'operator' },
  { path: '/console/admin/keys', who: 'operator' },
  { path: '/console/admin/interruptions', who: 'operator' },
]

function chromiumPath() {
  const found = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' })
  const path = found.stdout.trim()
  if (found.status !== 0 || !path)
    throw new Error('chromium is not installed: apt-get install -y chromium (.ci/run does)')
  return path
}

/** The page's timings from the browser's own Navigation Timing entry, ms. */
async function navigate(page, url) {
  const res = await page.goto(url, { waitUntil: 'load' })
  if (!res || res.status() !== 200)
    throw new Error(`${url} answered ${res ? res.status() : 'nothing'}`)
  return page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0]
    return {
      server: n.responseStart - n.requestStart,
      html: n.responseEnd - n.startTime,
      load: n.loadEventEnd - n.startTime,
      bytes: n.transferSize,
    }
  })
}

/**
 * Starts the built sandbox on the real contract, fills it, loads each of `pages`; resolves with one row
 * per page. `log` receives progress lines; `onBrowser` gets the browser context before the first page
 * (to trace or route requests when looking for a page's cost).
 */
export async function measureConsolePages({
  root,
  contract,
  loads = 7,
  calls = 200,
  log,
  pages = CONSOLE_PAGES,
  onBrowser,
}) {
  const say = log ?? (() => {})
  const { chromium } = await import('playwright-core')
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-twin-bench-console-'))
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const server = await startServer(
    'console',
    process.execPath,
    [
      resolve(root, 'dist/bundle/sandbox-twin.mjs'),
      'serve',
      '--port',
      String(port),
      '--contract',
      contract,
      '--admin-token',
      ADMIN,
      '--state',
      join(dir, 'state.json'),
      '--console-signup',
      'open',
    ],
    { url: `${base}/__sandbox/health`, headers: {} },
    {},
    root,
  )
  const profile = mkdtempSync(join(tmpdir(), 'sandbox-twin-bench-chromium-'))
  let context
  try {
    say('console: filling the sandbox')
    const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }
    const created = await fetch(`${base}/__sandbox/clients`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        client_id: 'bench-reuser',
        client_secret: SECRET,
        label: 'Bench',
        siret: '73282932000074',
        privileges: ['unites_legales_etablissements_insee', 'open_data'],
      }),
    })
    if (!created.ok) throw new Error(`client creation: ${created.status} ${await created.text()}`)
    const token = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'bench-reuser',
        client_secret: SECRET,
      }),
    })
    if (!token.ok) throw new Error(`token: ${token.status} ${await token.text()}`)
    const bearer = (await token.json()).access_token
    const statuses = {}
    for (let i = 0; i < calls; i++) {
      // Two SIRENs in turn; the last call plays a 429 (more of them ignored would end in a ban).
      const headers = { authorization: `Bearer ${bearer}` }
      if (i === calls - 1) headers.prefer = 'scenario=burst-429'
      const r = await fetch(base + PATH.replace('418166096', i % 2 ? '418166096' : '552032534'), {
        headers,
      })
      await r.arrayBuffer()
      statuses[r.status] = (statuses[r.status] ?? 0) + 1
    }
    say(`console: ${calls} API calls answered ${JSON.stringify(statuses)}`)

    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      viewport: { width: 1280, height: 900 },
      locale: 'fr-FR',
    })
    if (onBrowser) await onBrowser(context)
    const page = context.pages()[0] ?? (await context.newPage())
    page.setDefaultTimeout(20_000)
    await page.goto(`${base}/console/sign-in`)
    await page.fill('#f-client_id', 'bench-reuser')
    await page.fill('#f-client_secret', SECRET)
    await page.click('main button[type=submit]')
    await page.waitForURL(/\/console\/account$/)
    await page.goto(`${base}/console/certification`)
    await page.click('form[action$="/certification/start"] button')
    await page.waitForSelector('#cert-started')

    const rows = []
    let who = 'reuser'
    for (const { path, who: reader } of pages) {
      if (reader !== who) {
        await page.click('header form[action$="/sign-out"] button')
        await page.goto(`${base}/console/admin/sign-in`)
        await page.fill('#f-admin_token', ADMIN)
        await page.click('main button[type=submit]')
        await page.waitForURL(/\/console\/admin$/)
        who = reader
      }
      say(`console: ${path} (${loads} loads)`)
      // In the tab the reader signed in with, as one goes from page to page: the first load is the
      // page's first visit (the assets cached since the sign-in), the next `loads` are measured.
      const first = await navigate(page, base + path)
      const each = []
      for (let i = 0; i < loads; i++) each.push(await navigate(page, base + path))
      const pick = (k) => each.map((x) => x[k])
      rows.push({
        path: path.replace(OPERATION, '{operation}'),
        who: reader,
        serverMedian: median(pick('server')),
        serverMax: Math.max(...pick('server')),
        loadMedian: median(pick('load')),
        loadMax: Math.max(...pick('load')),
        firstLoad: first.load,
        kb: Math.round(median(pick('bytes')) / 1024),
      })
    }
    return { calls, loads, rows }
  } finally {
    await context?.close()
    await stop(server.child)
    rmSync(profile, { recursive: true, force: true })
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Prints the rows as a table; the bar is every page's median load under `bar` ms. */
export function printConsolePages({ calls, loads, rows }, bar = 200) {
  const ms = (x) => String(Math.round(x)).padStart(9)
  console.log(
    `\nconsole pages in headless Chromium — real contract, file state, after ${calls} API calls and a certification started; median and max of ${loads} loads after one unmeasured (ms; server: request to first byte; load: the page's load event, assets cached); bar: load median < ${bar} ms`,
  )
  console.log(
    '  ' +
      'page'.padEnd(34) +
      'server'.padStart(9) +
      'max'.padStart(9) +
      'load'.padStart(9) +
      'max'.padStart(9) +
      'first'.padStart(9) +
      'KB'.padStart(6),
  )
  for (const r of rows)
    console.log(
      '  ' +
        r.path.padEnd(34) +
        ms(r.serverMedian) +
        ms(r.serverMax) +
        ms(r.loadMedian) +
        ms(r.loadMax) +
        ms(r.firstLoad) +
        String(r.kb).padStart(6) +
        (r.loadMedian >= bar ? '  over the bar' : ''),
    )
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const args = { loads: 7, calls: 200, json: undefined }
  const list = process.argv.slice(2)
  const usage = 'usage: node bench/console-pages.mjs [--loads 7] [--calls 200] [--json file]'
  if (list.includes('--help') || list.includes('-h')) {
    console.log(usage)
    process.exit(0)
  }
  for (let i = 0; i < list.length; i += 2) {
    const key = list[i].replace(/^--/, '')
    const value = list[i + 1]
    if (!list[i].startsWith('--') || !(key in args) || value === undefined) {
      console.error(`console-pages: bad flag ${list[i]}\n${usage}`)
      process.exit(2)
    }
    args[key] = key === 'json' ? value : Number(value)
    if (key !== 'json' && !(Number.isInteger(args[key]) && args[key] > 0)) {
      console.error(
        `console-pages: ${list[i]} takes a whole number above 0, not ${value}\n${usage}`,
      )
      process.exit(2)
    }
  }
  const contract =
    process.env.SANDBOX_REAL_CONTRACT ?? resolve(root, '../shared/contracts/api_entreprise.yaml')
  const result = await measureConsolePages({
    root,
    contract,
    loads: args.loads,
    calls: args.calls,
    log: (line) => process.stderr.write(`bench: ${line}\n`),
  })
  printConsolePages(result)
  if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 2))
}
