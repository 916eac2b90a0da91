import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderHtml } from '../../mock/report/render-html.js'
import { requireTool } from '../helpers/system-tool.js'
import { tempFiles } from '../helpers/temp-files.js'
import { makeEntry } from '../journal/make-entry.js'
import { reportOf } from './sample-report.js'

const T = Date.UTC(2025, 0, 6, 9)
// Headless Chromium as root, offline: no sandbox, no GPU, no background connections.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

describe('the HTML verdict in a real browser', () => {
  it('renders every check in headless Chromium, and paints a page', async () => {
    const chromium = requireTool('chromium', 'chromium')
    const base = {
      jti: 't1',
      authMode: 'bearer' as const,
      scopes: ['open_data'],
      context: 'c',
      recipient: '13002526500013',
      object: 'o',
    }
    const report = await reportOf([
      makeEntry({ t: T, ...base }),
      makeEntry({ t: T + 1000, ...base, status: 429, retryAfter: 30 }),
    ])
    const dir = tempFiles({ 'report.html': renderHtml(report) })
    const page = `file://${join(dir, 'report.html')}`
    const profile = join(dir, 'profile')

    const dom = spawnSync(chromium, [...FLAGS, `--user-data-dir=${profile}`, '--dump-dom', page], {
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(dom.status, dom.stderr).toBe(0)
    for (const check of report.checks) {
      expect(dom.stdout).toContain(`id="check-${check.id}"`)
    }

    const png = join(dir, 'report.png')
    const shot = spawnSync(
      chromium,
      [
        ...FLAGS,
        `--user-data-dir=${profile}`,
        '--window-size=1100,1600',
        `--screenshot=${png}`,
        page,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    )
    expect(shot.status, shot.stderr).toBe(0)
    const bytes = readFileSync(png)
    expect(bytes.subarray(1, 4).toString()).toBe('PNG')
    // IHDR: width and height of the painted page.
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1100, 1600])
    // A painted report compresses far worse than a blank page (a few KB).
    expect(bytes.length).toBeGreaterThan(20_000)
  }, 150_000)
})
