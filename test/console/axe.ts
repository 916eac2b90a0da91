/// <reference lib="dom" />
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface AxeResult {
  violations: Array<{
    id: string
    impact: string | null
    help: string
    nodes: Array<{ target: unknown[] }>
  }>
}

/**
 * Runs axe-core on the page against WCAG 2.1 A and AA (RGAA follows WCAG 2.1 AA) and answers the
 * serious and critical violations, one line each. axe is evaluated through the DevTools protocol,
 * which the page's Content-Security-Policy does not restrict.
 */
export async function axeScan(page: Page): Promise<string[]> {
  await page.evaluate(AXE)
  const result = (await page.evaluate(() =>
    (
      globalThis as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<unknown> } }
    ).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  )) as AxeResult
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => JSON.stringify(n.target))
          .join(', ')}`,
    )
}
