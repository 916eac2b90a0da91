import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { openBrowser, type Browser } from './browser.js'

const SECRET = 'Secret-Secret-123'
/** Set to a folder (docs/console) to refresh the screenshots docs/console.md shows. */
const SHOTS = process.env.CONSOLE_SCREENSHOTS

let sandbox: Sandbox
let url: string
let browser: Browser
let page: Page

async function shot(name: string): Promise<void> {
  if (!SHOTS) return
  const dir = resolve(SHOTS)
  mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: `${dir}/${name}.jpeg`, type: 'jpeg', quality: 55 })
}

beforeAll(async () => {
  sandbox = await createSandbox({ state: 'memory', log: () => {}, console: { signup: 'open' } })
  url = (await sandbox.listen(0)).url
  browser = await openBrowser()
  page = browser.page
  page.setDefaultTimeout(10_000)
})

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
    await shot('sign-up')
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
    expect(claims.scopes).toEqual(['open_data'])
    const check = await sandbox.context.auth.check(token, Date.now())
    expect(check.ok).toBe(true)
    await shot('account')
  })
})
