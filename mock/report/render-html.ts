import type { Report } from './build-report.js'
import { escapeMarkup as x } from './markup.js'
import type { CheckResult, CheckStatus } from './report-types.js'

const LABEL: Record<CheckStatus, string> = {
  pass: 'pass',
  fail: 'fail',
  'not-exercised': 'not exercised',
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e3e3;vertical-align:top}
th{background:#f4f4f6;font-weight:600}code{font:13px ui-monospace,Menlo,Consolas,monospace}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:.7rem;font-weight:600;font-size:.85rem;white-space:nowrap}
.pass{background:#dcf5e3;color:#11612b}.fail{background:#fde0e0;color:#9b1c1c}.not-exercised,.incomplete{background:#eeeef2;color:#4a4a55}
.meta{color:#555}.rule{color:#444;font-size:.9rem}details{margin:.3rem 0 1rem}summary{cursor:pointer}
.check{border:1px solid #e3e3e3;border-radius:.4rem;padding:.6rem .9rem;margin:.8rem 0}
@media print{details{display:block}body{margin:0}}`

const badge = (status: string, text = status): string =>
  `<span class="badge ${x(status)}">${x(text)}</span>`

function evidenceTable(check: CheckResult): string {
  if (check.evidence.length === 0) return ''
  const rows = check.evidence
    .map(
      (e) =>
        `<tr><td><code>${x(e.sandboxAt)}</code></td><td><code>${x(`${e.method} ${e.path}`)}</code></td><td>${x(String(e.status ?? '-'))}${e.code ? ` <code>${x(e.code)}</code>` : ''}</td><td>${x(e.note)}</td><td><code>${x(e.id)}</code></td></tr>`,
    )
    .join('\n')
  const more = check.evidenceTotal
    ? `<p class="meta">${check.evidence.length} of ${check.evidenceTotal} entries shown.</p>`
    : ''
  return `<details${check.status === 'fail' ? ' open="open"' : ''}><summary>Evidence (${check.evidenceTotal ?? check.evidence.length})</summary>
<table><thead><tr><th>sandbox time</th><th>request</th><th>status</th><th>what it shows</th><th>entry</th></tr></thead><tbody>
${rows}
</tbody></table>${more}</details>`
}

function checkSection(check: CheckResult): string {
  return `<section class="check" id="check-${x(check.id)}">
<h3>${badge(check.status, LABEL[check.status])} ${x(check.title)}</h3>
<p>${x(check.summary)}</p>
<p class="rule"><strong>Rule.</strong> ${x(check.rule)}</p>
${evidenceTable(check)}
</section>`
}

function minimisationSection(report: Report): string {
  const m = report.minimisation
  const list = (items: string[]): string =>
    items.length ? items.map((i) => `<code>${x(i)}</code>`).join(', ') : '<em>none</em>'
  const rows = m.operations
    .map(
      (
        o,
      ) => `<tr><td><code>${x(o.operation)}</code></td><td>${o.calls}</td><td>${list(o.privilegesUsed.length ? o.privilegesUsed : o.privileges)}</td>
<td><details><summary>${o.fields.length} field(s)${o.fieldsFrom === 'contract' ? ' (all the contract declares)' : ''}</summary>${list(o.fields)}</details></td>
<td>${list(o.withheld)}</td><td>${list(o.fieldScopes)}</td></tr>`,
    )
    .join('\n')
  return `<h2>Minimisation</h2>
<table><tbody>
<tr><th>privileges carried</th><td>${list(m.carried)}</td></tr>
<tr><th>privileges needed</th><td>${list(m.needed)}</td></tr>
<tr><th>smallest set serving every call</th><td>${list(m.smallest)}</td></tr>
<tr><th>carried but never needed</th><td>${list(m.unused)}</td></tr>
</tbody></table>
<table><thead><tr><th>operation</th><th>calls</th><th>privilege used</th><th>fields delivered</th><th>fields withheld</th><th>field scopes used</th></tr></thead><tbody>
${rows}
</tbody></table>`
}

/**
 * The verdict as one self-contained HTML page a vendor can attach to a certification file: inline
 * style, no script, no external resource (its Content-Security-Policy forbids any), readable printed.
 * Written as well-formed XML as well, so any XML parser can check it.
 */
export function renderHtml(report: Report): string {
  const w = report.window
  const window = [
    w.from ? `from ${w.from}` : '',
    w.to ? `to ${w.to}` : '',
    w.certification ? `certification run started ${w.certification.startedAt}` : '',
  ]
    .filter(Boolean)
    .join(', ')
  const summaryRows = report.checks
    .map(
      (c) =>
        `<tr><td>${badge(c.status, LABEL[c.status])}</td><td><a href="#check-${x(c.id)}">${x(c.title)}</a></td><td>${x(c.summary)}</td></tr>`,
    )
    .join('\n')
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>${x(`Client verdict: ${report.client} (${report.verdict})`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Client verdict: <code>${x(report.client)}</code> ${badge(report.verdict)}</h1>
<p class="meta">${report.totals.pass} passed, ${report.totals.fail} failed, ${report.totals.notExercised} not exercised,
judged on ${report.entries.api} API call(s) and ${report.entries.token} token(s)${window ? `, ${x(window)}` : ''}.
Contract: ${x(`${report.contract.title} ${report.contract.version}`)}. Generated ${x(report.generatedAt)} by sandbox-twin.</p>
</header>
<h2>Checks</h2>
<table><thead><tr><th>result</th><th>check</th><th>what the journal showed</th></tr></thead><tbody>
${summaryRows}
</tbody></table>
${report.checks.map(checkSection).join('\n')}
${minimisationSection(report)}
</body>
</html>
`
}
