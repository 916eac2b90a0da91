import type { Report } from './build-report.js'
import { escapeMarkup as x } from './markup.js'
import type { CheckResult } from './report-types.js'

const attrs = (pairs: Record<string, string | number>): string =>
  Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${x(String(v))}"`)
    .join('')

/** Evidence as plain lines, for CI logs. */
function evidenceText(check: CheckResult): string {
  const lines = check.evidence.map(
    (e) =>
      `- ${e.sandboxAt} ${e.method} ${e.path}${e.status !== undefined ? ` -> ${e.status}` : ''}${e.code ? ` ${e.code}` : ''} [${e.id}]: ${e.note}`,
  )
  if (check.evidenceTotal) lines.push(`(${check.evidence.length} of ${check.evidenceTotal} shown)`)
  return lines.join('\n')
}

function testcase(check: CheckResult): string {
  const head = `    <testcase${attrs({ name: check.title, classname: `sandbox-twin.verdict.${check.id}`, time: 0 })}>`
  const body = [`Rule: ${check.rule}`, '', check.summary, evidenceText(check)].join('\n')
  const parts = [head]
  if (check.status === 'fail')
    parts.push(
      `      <failure${attrs({ message: check.summary, type: check.id })}>${x(body)}</failure>`,
    )
  if (check.status === 'not-exercised')
    parts.push(`      <skipped${attrs({ message: `not exercised: ${check.summary}` })}/>`)
  if (check.status === 'pass') parts.push(`      <system-out>${x(body)}</system-out>`)
  parts.push('    </testcase>')
  return parts.join('\n')
}

/** `2025-01-06T09:00:00`: the schema's timestamp (ISO 8601, no zone, UTC). */
const timestamp = (iso: string): string => iso.slice(0, 19)

/**
 * The verdict as JUnit XML, the format CI systems read: one `testsuite` for the client, one
 * `testcase` per check; a failed check has a `failure` (message: the summary; text: rule and
 * evidence), a check not exercised is `skipped`. Follows the common JUnit schema (junit-4.xsd as
 * Jenkins, GitLab and GitHub reporters read it).
 */
export function renderJunit(report: Report): string {
  const counts = {
    tests: report.checks.length,
    failures: report.totals.fail,
    errors: 0,
    skipped: report.totals.notExercised,
    time: 0,
  }
  const m = report.minimisation
  const properties: Record<string, string> = {
    client: report.client,
    verdict: report.verdict,
    contract: `${report.contract.title} ${report.contract.version}`,
    ...(report.window.from ? { 'window.from': report.window.from } : {}),
    ...(report.window.to ? { 'window.to': report.window.to } : {}),
    ...(report.window.certification
      ? { 'certification.startedAt': report.window.certification.startedAt }
      : {}),
    'privileges.carried': m.carried.join(' '),
    'privileges.smallest': m.smallest.join(' '),
  }
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: `sandbox-twin verdict for ${report.client}`, ...counts })}>`,
    `  <testsuite${attrs({ name: `client ${report.client}`, ...counts, timestamp: timestamp(report.generatedAt), hostname: 'sandbox-twin', id: 0, package: 'sandbox-twin.verdict' })}>`,
    '    <properties>',
    ...Object.entries(properties).map(
      ([name, value]) => `      <property${attrs({ name, value })}/>`,
    ),
    '    </properties>',
    ...report.checks.map(testcase),
    `    <system-out>${x(minimisationText(report))}</system-out>`,
    '    <system-err></system-err>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ]
  return out.join('\n')
}

function minimisationText(report: Report): string {
  const m = report.minimisation
  return [
    `Verdict ${report.verdict}: ${report.totals.pass} passed, ${report.totals.fail} failed, ${report.totals.notExercised} not exercised.`,
    `Privileges carried: ${m.carried.join(', ') || 'none'}; smallest set serving every call: ${m.smallest.join(', ') || 'none'}.`,
    ...m.operations.map(
      (o) =>
        `${o.operation}: ${o.calls} call(s), ${o.fields.length} field(s) delivered${o.withheld.length ? `, ${o.withheld.length} withheld` : ''}`,
    ),
  ].join('\n')
}
