import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { createSandbox } from '../../mock/create-sandbox.js'
import { dsfrDir } from '../../mock/console/assets.js'

const sandbox = await createSandbox({ state: 'memory', log: () => {} })
afterAll(() => sandbox.close())

describe('console assets', () => {
  it('serves the design system files, read when first asked for, the same bytes each time', async () => {
    const js = readFileSync(join(dsfrDir(), 'dsfr.module.min.js'))
    for (let i = 0; i < 2; i++) {
      const r = await request(sandbox.app).get('/console/assets/dsfr/dsfr.module.min.js')
      expect(r.status).toBe(200)
      expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8')
      expect(Buffer.from(r.text)).toEqual(js)
      const css = await request(sandbox.app).get('/console/assets/dsfr/dsfr.min.css')
      expect(css.status).toBe(200)
      expect(css.headers['content-type']).toBe('text/css; charset=utf-8')
      // The fonts are left out of the CSS: no @font-face points to a file the sandbox does not ship.
      expect(css.text).not.toMatch(/@font-face/)
      expect(css.text.length).toBeGreaterThan(10_000)
    }
  })

  it('serves a style sheet of the components the pages use, each icon it points to served beside it', async () => {
    const css = (await request(sandbox.app).get('/console/assets/dsfr/dsfr.min.css')).text
    const whole = readFileSync(
      new URL('../../node_modules/@gouvfr/dsfr/dist/dsfr.min.css', import.meta.url),
      'utf8',
    )
    expect(css.length).toBeLessThan(whole.length * 0.7)
    for (const used of [
      '.fr-header',
      '.fr-nav',
      '.fr-table',
      '.fr-badge--success',
      '.fr-alert',
      '.fr-notice',
      '.fr-select',
      '.fr-checkbox-group',
      '.fr-skiplinks',
      '.fr-mb-3w',
      '.fr-sr-only',
    ])
      expect(css, used).toContain(used)
    const urls = [...css.matchAll(/url\(([^)"']+)\)/g)].map((m) => m[1]!)
    expect(urls.length).toBeGreaterThan(5)
    for (const url of new Set(urls)) {
      expect(url, url).not.toMatch(/^\.\.|^\//)
      const icon = await request(sandbox.app).get(`/console/assets/dsfr/${url}`)
      expect(icon.status, url).toBe(200)
    }
  })
})
