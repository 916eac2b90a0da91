/// <reference lib="dom" />
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { PLAN } from '../../mock/certification/plan.js'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { LAUNCH_TIMEOUT, openBrowser, type Browser } from './browser.js'

/**
 * The screenshots docs/console.md shows, taken on every test run from the pages a reuser and the
 * operator drive, and written to docs/console/ when they changed. The sandbox's data is seeded and
 * its clock is fixed (moved by the test only), so a run on the same machine writes the same bytes;
 * what is random by design (a token, its id, a key's id, the port, the HTTP date) is written over with
 * fixed values of the same shape in the page shown.
 */
const DOCS = fileURLToPath(new URL('../../docs/console/', import.meta.url))
const SECRET = 'Secret-Secret-123'
const T0 = Date.parse('2026-03-02T09:30:00.000Z')
const QUERY = 'context=test&recipient=13002526500013&object=doc'
const OP = 'api_entreprise_v3_insee_unites_legales'

let now = T0
let sandbox: Sandbox
let url: string
let browser: Browser
let page: Page
const written: string[] = []

/** Moves the sandbox's real-time source; nothing else moves it. */
const tick = (ms = 1_000): void => {
  now += ms
}

/**
 * Values random by design (a token's id, a key's id, the listening port, the HTTP date) written over
 * with fixed ones of the same shape in the page shown, so that two runs give the same picture.
 */
const FIXED: Array<[RegExp, string]> = [
  [
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
    '3f2c9a41-7d0e-4b6a-9c15-8e4d2b7a6f03',
  ],
  [/127\.0\.0\.1:\d+/g, '127.0.0.1:8080'],
  [/^date: .*$/gm, 'date: Mon, 02 Mar 2026 09:30:02 GMT'],
  [/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, sampleToken()],
]

/** A token of the same shape as the console's, with fixed claims and a signature that checks nothing. */
function sampleToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return [
    part({ alg: 'ES256', kid: 'k3yThumbpr1nt-0f-th3-s1gn1ng-k3y-Es256-dOcs', typ: 'at+jwt' }),
    part({
      iss: 'http://127.0.0.1:8080',
      aud: 'sandbox-twin',
      sub: 'acme-app',
      client_id: 'acme-app',
      iat: (T0 + 2_000) / 1000,
      exp: (T0 + 302_000) / 1000,
      jti: '3f2c9a41-7d0e-4b6a-9c15-8e4d2b7a6f03',
      scopes: ['open_data', 'unites_legales_etablissements_insee'],
    }),
    Buffer.alloc(64, 7).toString('base64url'),
  ].join('.')
}

async function fix(extra: Array<[RegExp, string]> = []): Promise<void> {
  const rules = [...FIXED, ...extra].map(([re, to]) => [re.source, re.flags, to])
  await page.evaluate((list) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      let text = node.nodeValue ?? ''
      for (const [source, flags, to] of list) text = text.replace(new RegExp(source!, flags), to!)
      if (text !== node.nodeValue) node.nodeValue = text
    }
  }, rules)
}

async function shot(
  name: string,
  options: { scrollTo?: string; fixed?: Array<[RegExp, string]> } = {},
) {
  await fix(options.fixed)
  if (options.scrollTo) await page.locator(options.scrollTo).scrollIntoViewIfNeeded()
  // The caret and transitions would make two runs differ.
  const image = await page.screenshot({
    type: 'jpeg',
    quality: 45,
    animations: 'disabled',
    caret: 'hide',
  })
  mkdirSync(DOCS, { recursive: true })
  const path = `${DOCS}${name}.jpeg`
  if (!existsSync(path) || !readFileSync(path).equals(image)) writeFileSync(path, image)
  written.push(name)
}

beforeAll(async () => {
  sandbox = await createSandbox({
    state: 'memory',
    log: () => {},
    seed: 1,
    now: () => now,
    adminToken: 'docs-admin-token-0123456789abcdef',
    console: { signup: 'open' },
  })
  url = (await sandbox.listen(0)).url
  browser = await openBrowser()
  page = browser.page
  page.setDefaultTimeout(15_000)
}, LAUNCH_TIMEOUT + 20_000)

afterAll(async () => {
  await browser?.close()
  await sandbox?.close()
})

async function signIn(): Promise<void> {
  await page.goto(`${url}/console/sign-in`)
  await page.fill('#f-client_id', 'acme-app')
  await page.fill('#f-client_secret', SECRET)
  await page.click('main button[type=submit]')
  await page.waitForURL(/\/console\/account$/)
}

describe('the screenshots of docs/console.md', () => {
  it('are taken from the main pages, with a fixed clock and seeded data', async () => {
    await page.goto(`${url}/console/sign-up`)
    await page.fill('#f-client_id', 'acme-app')
    await page.fill('#f-label', 'Acme')
    await page.fill('#f-email', 'dev@acme.fr')
    await page.fill('#f-siret', '73282932000074')
    await page.fill('#f-client_secret', SECRET)
    await page.fill('#f-client_secret_confirm', SECRET)
    await page.click('label:text-is("open_data")')
    await page.click('label:text-is("unites_legales_etablissements_insee")')
    await page.click('main button[type=submit]')
    await page.waitForURL(/\/console\/sign-in\?created=1$/)
    tick()
    await signIn()
    tick()
    await page.click('button:text-is("Émettre un jeton")')
    await shot('account')

    tick()
    await page.goto(`${url}/console/try/${OP}`)
    await page.click('#send')
    expect(await page.textContent('#try-status')).toBe('200')
    await shot('try-it', { scrollTo: '#try-result' })

    // A few calls, a burst of 429s, then the journal.
    await page.selectOption('form[action$="/arm"] select', 'burst-429')
    await page.click('button:text-is("Armer")')
    for (let i = 0; i < 5; i++) {
      tick(700)
      await page.click('#send')
    }
    expect(await page.textContent('#try-status')).toBe('429')
    await page.click('button:text-is("Tout désarmer")')
    tick(30_000)
    await page.goto(`${url}/console/journal`)
    expect(await page.locator('#journal td:text-is("429")').count()).toBeGreaterThanOrEqual(1)
    await shot('journal')

    await page.goto(`${url}/console/minimum`)
    expect(await page.textContent('#unused')).toContain('open_data')
    await shot('minimum')

    // A certification played to its end: the verdict and the signed attestation.
    await page.goto(`${url}/console/certification`)
    await page.click('button:text-is("Démarrer une certification")')
    await page.waitForSelector('#cert-started')
    for (let step = 0; step < PLAN.length; step++) {
      await move('20s')
      const res = await fetch(`${url}/v3/insee/sirene/unites_legales/904120870?${QUERY}`, {
        headers: { authorization: `Bearer ${await mint()}` },
        signal: AbortSignal.timeout(4_000),
      }).catch(() => undefined)
      await res?.arrayBuffer().catch(() => undefined)
    }
    await move('20s')
    await page.goto(`${url}/console/certification`)
    await page.waitForSelector('#download-attestation')
    await shot('certification', { scrollTo: '#download-attestation' })

    // The operator: clients, signing keys, an interruption on the public status page.
    await page.click('header button:has-text("Se déconnecter")')
    await page.goto(`${url}/console/admin/sign-in`)
    await page.fill('#f-admin_token', sandbox.adminToken)
    await page.click('main button[type=submit]')
    await page.waitForURL(/\/console\/admin$/)
    await shot('admin-clients')
    await page.goto(`${url}/console/admin/keys`)
    // A key's id is its public key's thumbprint: 43 base64url characters.
    await shot('admin-keys', {
      fixed: [[/\b[\w-]{43}\b/g, 'k3yThumbpr1nt-0f-th3-s1gn1ng-k3y-Es256-dOcs']],
    })
    await page.goto(`${url}/console/admin/interruptions`)
    await page.fill('#f-to', new Date(now + 3_600_000).toISOString().slice(0, 16))
    await page.fill('#f-message', 'Maintenance programmée de la base Sirene')
    await page.click('button:text-is("Annoncer une interruption")')
    await page.goto(`${url}/console/status`)
    expect(await page.textContent('#service-state')).toContain('Maintenance programmée')
    await shot('status', { scrollTo: '.console-chart' })

    expect(written).toEqual([
      'account',
      'try-it',
      'journal',
      'minimum',
      'certification',
      'admin-clients',
      'admin-keys',
      'status',
    ])
  }, 90_000)
})

/** A token for the reuser's back end. */
async function mint(): Promise<string> {
  const client = (await sandbox.context.auth.getClient('acme-app'))!
  return (
    await sandbox.context.auth.issue(client, {
      scopes: client.privileges,
      singleUse: false,
      ip: '127.0.0.1',
    })
  ).token
}

/** Moves the reuser's sandbox clock (as its back end would, through the admin API). */
async function move(advance: string): Promise<void> {
  const res = await fetch(`${url}/__sandbox/clock`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sandbox.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'acme-app', advance }),
  })
  expect(res.status).toBe(200)
}
