import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { requireTool } from '../helpers/system-tool.js'

/** Flags of a quiet, headless, throw-away Chromium. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export interface Browser {
  context: BrowserContext
  page: Page
  close(): Promise<void>
}

/**
 * How long a Chromium launch may take, ms: the first one on a fresh machine reads the whole binary
 * from disk and builds the font cache while the other test files load the CPU.
 */
export const LAUNCH_TIMEOUT = 100_000

/**
 * Debian's Chromium driven by playwright-core, with a fresh profile directory removed at close. A hook
 * that calls it needs a timeout above {@link LAUNCH_TIMEOUT}.
 */
export async function openBrowser(): Promise<Browser> {
  const executablePath = requireTool('chromium', 'chromium')
  const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
    locale: 'fr-FR',
    timezoneId: 'UTC',
    timeout: LAUNCH_TIMEOUT,
  })
  const page = context.pages()[0] ?? (await context.newPage())
  return {
    context,
    page,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
