/// <reference lib="dom" />
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose'
import { PLAN } from '../../mock/certification/plan.js'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { LAUNCH_TIMEOUT, openBrowser, type Browser } from './browser.js'
import { axeScan } from './axe.js'

const SECRET = 'Secret-Secret-123'

let sandbox: Sandbox
let url: string
let browser: Browser
let page: Page

beforeAll(async () => {
  sandbox = await createSandbox({ state: 'memory', log: () => {}, console: { signup: 'open' } })
  url = (await sandbox.listen(0)).url
  browser = await openBrowser()
  page = browser.page
  page.setDefaultTimeout(10_000)
}, LAUNCH_TIMEOUT + 20_000)

afterAll(async () => {
  await browser?.close()
  await sandbox?.close()
})

describe('a reuser in the console, in a real browser', () => {
  it('signs up with the Douane account rules, then signs in', async () => {
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
    expect(await page.textContent('main')).toContain('Compte créé')
    await page.fill('#f-client_id', 'acme-app')
    await page.fill('#f-client_secret', SECRET)
    await page.click('main button[type=submit]')
    await page.waitForURL(/\/console\/account$/)
    expect(await page.getAttribute('#account-colour', 'data-colour')).toBe('green')
  })

  it('mints a token shown once, carrying the account privileges', async () => {
    await page.click('button:text-is("Émettre un jeton")')
    const token = (await page.textContent('#token-value'))!.trim()
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      sub: string
      scopes: string[]
    }
    expect(claims.sub).toBe('acme-app')
    expect(claims.scopes).toEqual(['open_data', 'unites_legales_etablissements_insee'])
    const check = await sandbox.context.auth.check(token, Date.now())
    expect(check.ok).toBe(true)
  })

  it('finds an operation in the reference and tries it: a real call, shown as curl with the answer headers', async () => {
    await page.goto(`${url}/console/reference`)
    await page.fill('#ref-q', 'insee_unites_legales v3')
    await expect
      .poll(() => page.locator('#operations tbody tr:not([hidden])').count(), { timeout: 10_000 })
      .toBe(1)
    await page.click(
      '#operations tbody tr:not([hidden]) a[href$="api_entreprise_v3_insee_unites_legales"]',
    )
    expect(await page.textContent('#op-privilege')).toContain('unites_legales_etablissements_insee')
    await page.click('a:text-is("Essayer")')
    await page.click('#send')
    expect(await page.textContent('#try-status')).toBe('200')
    const curl = (await page.textContent('#try-curl'))!
    expect(curl).toContain('curl -i -X GET')
    expect(curl).toContain('/v3/insee/sirene/unites_legales/904120870?')
    expect(curl).toContain('Authorization: Bearer $TOKEN')
    expect(await page.textContent('#try-headers')).toMatch(/content-type: application\/json/i)
    expect(await page.textContent('#try-body')).toContain('"data"')
  })

  it('arms burst-429 and sees the 429 with its Retry-After', async () => {
    await page.selectOption('form[action$="/arm"] select', 'burst-429')
    await page.click('button:text-is("Armer")')
    expect(await page.textContent('#armed')).toContain('burst-429')
    const statuses: string[] = []
    for (let i = 0; i < 5; i++) {
      await page.click('#send')
      statuses.push((await page.textContent('#try-status'))!)
    }
    expect(statuses.slice(0, 4)).toEqual(['200', '200', '200', '200'])
    expect(statuses[4]).toBe('429')
    expect(await page.textContent('#try-headers')).toMatch(/retry-after: \d+/i)
    await page.click('button:text-is("Tout désarmer")')
    expect(await page.textContent('#armed')).toContain('Aucun scénario armé')
  })

  it('shows the calls in the journal, and new ones appear without reloading', async () => {
    await page.goto(`${url}/console/journal`)
    const rows = page.locator('#journal tbody tr[data-id]')
    const before = await rows.count()
    expect(before).toBeGreaterThanOrEqual(7) // 6 calls and the token
    expect(await page.locator('#journal tbody td:text-is("429")').count()).toBeGreaterThanOrEqual(1)
    // A call made elsewhere (the reuser's own back end) shows up live.
    const token = await mintFor('acme-app')
    await fetch(
      `${url}/v3/insee/sirene/unites_legales/904120870?context=test&recipient=13002526500013&object=live`,
      { headers: { authorization: `Bearer ${token}` } },
    )
    await expect.poll(() => rows.count(), { timeout: 8_000 }).toBeGreaterThan(before)
    // Filters: only the 429s.
    await page.fill('#f-status', '429')
    await page.click('button:text-is("Filtrer")')
    const statuses = await page
      .locator('#journal tbody tr[data-id] td:nth-child(4)')
      .allTextContents()
    expect(statuses.length).toBeGreaterThan(0)
    expect(new Set(statuses)).toEqual(new Set(['429']))
  })

  it('shows the minimum data: the privilege used, the one never used, and applies the smallest set', async () => {
    await page.goto(`${url}/console/minimum`)
    expect(await page.textContent('#smallest')).toContain('unites_legales_etablissements_insee')
    expect(await page.textContent('#unused')).toContain('open_data')
    await page.click('button:text-is("Réduire mes habilitations à ce jeu")')
    await page.waitForURL(/\/console\/account#privileges$/)
    const client = await sandbox.context.auth.getClient('acme-app')
    expect(client!.privileges).toEqual(['unites_legales_etablissements_insee'])
  })

  it('moves its clock past the 429 period, runs a certification and reads the verdict with its downloads', async () => {
    await page.fill('#f-advance', '1m')
    await page.click('button:text-is("Avancer l’horloge")')
    await page.goto(`${url}/console/certification`)
    expect(await page.textContent('#cert-none')).toBeTruthy()
    await page.click('button:text-is("Démarrer une certification")')
    await page.waitForSelector('#cert-started')
    // The reuser's client runs against the sandbox (here: a few tries from the console).
    await page.goto(`${url}/console/try/api_entreprise_v3_insee_unites_legales`)
    for (let i = 0; i < 3; i++) await page.click('#send')
    await page.goto(`${url}/console/certification`)
    const verdict = await page.getAttribute('#verdict-value', 'data-verdict')
    expect(['pass', 'fail', 'incomplete']).toContain(verdict)
    expect(await page.locator('#checks tbody tr').count()).toBeGreaterThan(5)
    expect(await page.textContent('#cert-steps')).toMatch(/\d+ \/ /)
    const download = await page.request.get(`${url}/console/certification/report.junit`)
    expect(download.status()).toBe(200)
    expect(await download.text()).toContain('<testsuite')
    const htmlReport = await page.request.get(`${url}/console/certification/report.html`)
    expect(await htmlReport.text()).toContain(verdict === 'pass' ? 'pass' : verdict!)
  })

  it('plays the run to its end, then downloads the signed attestation from the verdict page', async () => {
    // While steps are ahead, the page says the attestation comes at the end.
    expect(await page.locator('#attestation-pending').count()).toBe(1)
    expect(await page.locator('#download-attestation').count()).toBe(0)
    // The reuser's back end meets each later step: one call per step, its sandbox clock moved past
    // each window (a fresh token each time; calls the sandbox resets or holds end without an answer).
    const move = (advance: string) =>
      fetch(`${url}/__sandbox/clock`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${sandbox.adminToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ client_id: 'acme-app', advance }),
      })
    for (let step = 1; step < PLAN.length; step++) {
      await move('20s')
      const token = await mintFor('acme-app')
      const res = await fetch(
        `${url}/v3/insee/sirene/unites_legales/904120870?context=test&recipient=13002526500013&object=t`,
        { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(4_000) },
      ).catch(() => undefined)
      await res?.arrayBuffer().catch(() => undefined)
    }
    await move('20s')
    await page.goto(`${url}/console/certification`)
    expect(await page.locator('#attestation-pending').count()).toBe(0)
    expect(await page.textContent('#attestation-verify')).toContain(
      `sandbox-twin verify attestation.jws --jwks ${url}/.well-known/jwks.json`,
    )
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#download-attestation'),
    ])
    expect(download.suggestedFilename()).toBe('attestation-acme-app.jws')
    const jws = readFileSync((await download.path())!, 'utf8').trim()
    // Signed by the sandbox's attestation key, published in its JWKS: it checks offline.
    const jwks = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as JSONWebKeySet
    const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(jwks))
    expect(protectedHeader.kid).toMatch(/^attestation-/)
    const claims = JSON.parse(new TextDecoder().decode(payload)) as {
      client: { id: string }
      certification: { steps: unknown[] }
      verdict: string
    }
    expect(claims.client.id).toBe('acme-app')
    expect(claims.certification.steps).toHaveLength(PLAN.length)
    expect(claims.verdict).toBe(await page.getAttribute('#verdict-value', 'data-verdict'))
  }, 60_000)
})

/** A token for a client, minted the way its back end would. */
async function mintFor(clientId: string): Promise<string> {
  const client = (await sandbox.context.auth.getClient(clientId))!
  return (
    await sandbox.context.auth.issue(client, {
      scopes: client.privileges,
      singleUse: false,
      ip: '127.0.0.1',
    })
  ).token
}

describe('the operator in the console, in a real browser', () => {
  it('announces an interruption, and the API answers 503 with its message', async () => {
    await page.goto(`${url}/console/account`)
    await page.click('header button:has-text("Se déconnecter")')
    await page.goto(`${url}/console/admin/sign-in`)
    await page.fill('#f-admin_token', sandbox.adminToken)
    await page.click('main button[type=submit]')
    await page.waitForURL(/\/console\/admin$/)
    expect(await page.textContent('main')).toContain('acme-app')
    await page.click('a:text-is("Interruptions")')
    const to = new Date(Date.now() + 3_600_000).toISOString().slice(0, 16)
    await page.fill('#f-to', to)
    await page.fill('#f-message', 'Maintenance programmée de la base Sirene')
    await page.click('button:text-is("Annoncer une interruption")')
    expect(await page.textContent('#interruptions')).toContain('Maintenance programmée')
    const answer = await fetch(
      `${url}/v3/insee/sirene/unites_legales/904120870?context=test&recipient=13002526500013&object=t`,
      { headers: { authorization: `Bearer ${await mintFor('acme-app')}` } },
    )
    expect(answer.status).toBe(503)
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(JSON.stringify(await answer.json())).toContain(
      'Maintenance programmée de la base Sirene',
    )
    await page.goto(`${url}/console/status`)
    expect(await page.textContent('#service-state')).toContain('Maintenance programmée')
    await page.goto(`${url}/console/admin/interruptions`)
    await page.click('#interruptions button:text-is("Annuler")')
    expect(await page.textContent('#interruptions')).toContain('Aucune interruption prévue')
  })

  it('withdraws a leaked signing key: it leaves the JWKS and its tokens are refused', async () => {
    const token = await mintFor('acme-app')
    const { kid } = decodeProtectedHeader(token)
    const call = () =>
      fetch(
        `${url}/v3/insee/sirene/unites_legales/904120870?context=test&recipient=13002526500013&object=t`,
        { headers: { authorization: `Bearer ${token}` } },
      )
    expect((await call()).status).toBe(200)
    await page.goto(`${url}/console/admin/keys`)
    await page.click(`button[aria-label="Retirer la clé ${kid}"]`)
    expect(await page.textContent('.fr-alert--success')).toContain(`Clé ${kid} retirée`)
    expect(await page.textContent('#keys')).not.toContain(kid!)
    const jwks = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as JSONWebKeySet
    expect(jwks.keys.map((k) => k.kid)).not.toContain(kid)
    expect((await call()).status).toBe(401)
    // A new token is signed by the key that replaced it.
    const fresh = await mintFor('acme-app')
    expect(decodeProtectedHeader(fresh).kid).not.toBe(kid)
  })
})

describe('accessibility', () => {
  const pages = [
    '/console/',
    '/console/sign-in',
    '/console/sign-up',
    '/console/status',
    '/console/reference',
    '/console/reference/api_entreprise_v3_insee_unites_legales',
    '/console/admin',
    '/console/admin/invites',
    '/console/admin/interruptions',
    '/console/admin/journal',
    '/console/admin/bans',
    '/console/admin/keys',
    '/console/admin/clients/acme-app',
  ]
  it(
    'has no serious or critical axe-core violation (WCAG 2.1 A and AA) on the operator and public pages',
    { timeout: 120_000 },
    async () => {
      const found: string[] = []
      for (const path of pages) {
        await page.goto(url + path)
        for (const v of await axeScan(page)) found.push(`${path}: ${v}`)
      }
      expect(found).toEqual([])
    },
  )

  it('has none on the reuser pages either', { timeout: 120_000 }, async () => {
    await page.goto(`${url}/console/admin`)
    await page.click('header button:has-text("Se déconnecter")')
    await page.goto(`${url}/console/sign-in`)
    await page.fill('#f-client_id', 'acme-app')
    await page.fill('#f-client_secret', SECRET)
    await page.click('main button[type=submit]')
    await page.waitForURL(/\/console\/account$/)
    const found: string[] = []
    for (const path of [
      '/console/account',
      '/console/try/api_entreprise_v3_insee_unites_legales',
      '/console/journal',
      '/console/minimum',
      '/console/certification',
    ]) {
      await page.goto(url + path)
      if (path.includes('/try/')) await page.click('#send')
      for (const v of await axeScan(page)) found.push(`${path}: ${v}`)
    }
    expect(found).toEqual([])
  })

  it('works with the keyboard alone: skip link, sign-in form, minting a token', async () => {
    await page.click('header button:has-text("Se déconnecter")')
    await page.goto(`${url}/console/sign-in`)
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Aller au contenu')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('content')
    // From the content, Tab reaches the identifier field, then the secret.
    for (
      let i = 0;
      i < 10 && (await page.evaluate(() => document.activeElement?.id)) !== 'f-client_id';
      i++
    )
      await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-client_id')
    await page.keyboard.type('acme-app')
    await page.keyboard.press('Tab')
    await page.keyboard.type(SECRET)
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/console\/account$/)
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab')
      if (
        (await page.evaluate(() => document.activeElement?.textContent?.trim())) ===
        'Émettre un jeton'
      )
        break
    }
    // The focused control is visibly marked (DSFR focus ring).
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement!).outlineStyle,
    )
    expect(outline).not.toBe('none')
    await page.keyboard.press('Enter')
    await page.waitForSelector('#token-value')
  })
})
