import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderJunit } from '../../mock/report/render-junit.js'
import { requireTool } from '../helpers/system-tool.js'
import { tempFiles } from '../helpers/temp-files.js'
import { makeEntry } from '../journal/make-entry.js'
import { reportOf } from './sample-report.js'

const XSD = resolve(import.meta.dirname, 'junit.xsd')
const T = Date.UTC(2025, 0, 6, 9)

/** Runs xmllint's schema validation on an XML text; returns its exit code and messages. */
function validate(xml: string): { status: number | null; output: string } {
  const xmllint = requireTool('xmllint', 'libxml2-utils')
  const file = join(tempFiles({}), 'report.xml')
  writeFileSync(file, xml)
  const r = spawnSync(xmllint, ['--noout', '--schema', XSD, file], { encoding: 'utf8' })
  return { status: r.status, output: `${r.stdout}${r.stderr}` }
}

describe('the JUnit verdict against the JUnit XML schema', () => {
  it('validates, with passed, failed and skipped checks and markup in the evidence', async () => {
    const base = {
      jti: 't1',
      authMode: 'bearer' as const,
      scopes: ['open_data'],
      context: 'A & B <c>',
      recipient: '13002526500013',
      object: 'x',
    }
    const report = await reportOf([
      makeEntry({ t: T, ...base }),
      makeEntry({ t: T + 1000, ...base, status: 429, retryAfter: 30 }),
      makeEntry({ t: T + 1500, ...base, origin: 'https://front.example/?a=1&b=<2>' }),
    ])
    const result = validate(renderJunit(report))
    expect(result.output).toContain('validates')
    expect(result.status).toBe(0)
  })

  it('is a schema that does refuse a testcase without a name (the check can fail)', () => {
    const result = validate(
      '<testsuites><testsuite name="s" tests="1"><testcase classname="c"/></testsuite></testsuites>',
    )
    expect(result.status).not.toBe(0)
    expect(result.output).toMatch(/name.*required|required.*name/i)
  })
})
