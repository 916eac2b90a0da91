import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import type { Report } from '../../mock/report/build-report.js'
import { renderHtml } from '../../mock/report/render-html.js'
import { renderJson } from '../../mock/report/render-json.js'
import { toWire } from '../../mock/http/wire.js'
import { renderJunit } from '../../mock/report/render-junit.js'
import { makeEntry } from '../journal/make-entry.js'
import { reportOf } from './sample-report.js'

const T = Date.UTC(2025, 0, 6, 9)

/** A run with passes, failures and checks not exercised, and markup-hostile text in the evidence. */
async function mixedReport(): Promise<Report> {
  const base = {
    jti: 't1',
    authMode: 'bearer' as const,
    scopes: ['open_data'],
    context: 'A & B <test>',
    recipient: '13002526500013',
    object: `"quoted" 'x'`,
  }
  return reportOf([
    makeEntry({ t: T, ...base }),
    makeEntry({ t: T + 1000, ...base, status: 429, retryAfter: 30 }),
    makeEntry({ t: T + 1500, ...base, origin: 'https://front.example/?a=1&b=<2>' }),
  ])
}

type Node = Record<string, unknown>
const asList = (v: unknown): Node[] =>
  v === undefined ? [] : Array.isArray(v) ? (v as Node[]) : [v as Node]

describe('verdict renderers', () => {
  it('renders JSON that parses back to the report, field names in snake_case', async () => {
    const report = await mixedReport()
    const json = renderJson(report)
    expect(JSON.parse(json)).toEqual(toWire(report))
    expect(json).toContain('"generated_at":')
    expect(json).toContain('"not_exercised":')
    expect(json).not.toMatch(/"[a-z]+[A-Z]\w*":/)
  })

  it('renders JUnit XML that follows the common JUnit schema: testsuites > testsuite > testcase', async () => {
    const report = await mixedReport()
    const xml = renderJunit(report)
    expect(XMLValidator.validate(xml)).toBe(true)
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      parseAttributeValue: false,
    }).parse(xml) as Node
    const suites = doc.testsuites as Node
    for (const a of ['@name', '@tests', '@failures', '@errors', '@time'])
      expect(suites).toHaveProperty([a])
    const suite = suites.testsuite as Node
    // junit-4.xsd: name and tests required; the Ant schema also requires these, with a zone-less timestamp.
    for (const a of [
      '@name',
      '@tests',
      '@failures',
      '@errors',
      '@skipped',
      '@time',
      '@timestamp',
      '@hostname',
      '@id',
      '@package',
    ]) {
      expect(suite).toHaveProperty([a])
    }
    expect(suite['@timestamp']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
    expect(Object.keys(suite).filter((k) => !k.startsWith('@'))).toEqual([
      'properties',
      'testcase',
      'system-out',
      'system-err',
    ])
    for (const p of asList((suite.properties as Node).property))
      expect(Object.keys(p).sort()).toEqual(['@name', '@value'])
    const cases = asList(suite.testcase)
    expect(cases).toHaveLength(report.checks.length)
    expect(Number(suite['@tests'])).toBe(cases.length)
    for (const c of cases) {
      for (const a of ['@name', '@classname', '@time']) expect(c).toHaveProperty([a])
      expect(Number.isFinite(Number(c['@time']))).toBe(true)
      for (const child of Object.keys(c).filter((k) => !k.startsWith('@')))
        expect(['skipped', 'error', 'failure', 'system-out', 'system-err']).toContain(child)
      for (const f of asList(c.failure))
        for (const a of ['@message', '@type']) expect(f).toHaveProperty([a])
    }
    const failed = cases.filter((c) => c.failure !== undefined)
    const skipped = cases.filter((c) => c.skipped !== undefined)
    expect(failed.map((c) => c['@classname'])).toEqual([
      'sandbox-twin.verdict.retry-after',
      'sandbox-twin.verdict.no-browser',
      'sandbox-twin.verdict.least-privilege',
    ])
    expect(Number(suite['@failures'])).toBe(failed.length)
    expect(Number(suite['@skipped'])).toBe(skipped.length)
    expect(String((failed[1]!.failure as Node)['#text'])).toContain(
      'Origin https://front.example/?a=1&b=<2>',
    )
  })

  it('renders one self-contained HTML page: well-formed, no script, no external resource', async () => {
    const report = await mixedReport()
    const html = renderHtml(report)
    expect(XMLValidator.validate(html.replace(/^<!DOCTYPE html>\n/, ''))).toBe(true)
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i)
    expect(html).not.toMatch(/\b(src|href)="(?!#)/i)
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`)
    for (const c of report.checks) expect(html).toContain(`id="check-${c.id}"`)
    expect(html).toContain('Origin https://front.example/?a=1&amp;b=&lt;2&gt;')
  })
})
