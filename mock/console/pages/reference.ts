import { operationKey } from '../../apis/mount.js'
import type { Router } from 'express'
import type { Operation, JsonSchema } from '../../contract/types.js'
import type { SandboxContext } from '../../context.js'
import { sendPage, stringsOf, titled, type ConsoleApp } from '../app.js'
import { html, type Html } from '../html.js'
import { fill, type Strings } from '../strings.js'
import { badge, row, table } from '../widgets.js'

/** Largest schema or example shown in full on a page; longer ones are cut with a note. */
const MAX_SHOWN = 24_000

export const pretty = (value: unknown): string => {
  const text = JSON.stringify(value, null, 2) ?? String(value)
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}\n…` : text
}

/** Production error codes an operation's examples carry (`errors[].code`, five digits). */
export function errorCodes(op: Operation): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [status, r] of Object.entries(op.responses)) {
    const codes = new Set<string>()
    const walk = (v: unknown, depth: number): void => {
      if (depth > 6 || v === null || typeof v !== 'object') return
      if (Array.isArray(v)) return v.forEach((x) => walk(x, depth + 1))
      for (const [k, x] of Object.entries(v)) {
        if (k === 'code' && typeof x === 'string' && /^\d{5}$/.test(x)) codes.add(x)
        else walk(x, depth + 1)
      }
    }
    for (const e of r.examples) walk(e.value, 0)
    if (codes.size) out.set(status, [...codes].sort())
  }
  return out
}

/** A short type of a schema: `string (format)`, `integer`, `array of object`, an enum... */
export function schemaSummary(schema: JsonSchema | undefined): string {
  if (!schema) return ''
  const s = schema as Record<string, unknown>
  if (Array.isArray(s.enum)) return `enum: ${s.enum.slice(0, 12).map(String).join(' | ')}`
  const type = Array.isArray(s.type) ? s.type.join(' | ') : typeof s.type === 'string' ? s.type : ''
  if (type === 'array') return `array of ${schemaSummary(s.items as JsonSchema) || 'any'}`
  const extra = [s.format, s.pattern ? `pattern ${String(s.pattern)}` : undefined]
    .filter((x) => typeof x === 'string')
    .join(', ')
  return `${type || (s.oneOf || s.anyOf ? 'one of several' : 'object')}${extra ? ` (${extra})` : ''}`
}

const searchText = (ctx: SandboxContext, op: Operation): string =>
  [op.id, op.api ?? '', op.method, op.path, op.summary ?? '', ...ctx.auth.requiredPrivileges(op)]
    .join(' ')
    .toLowerCase()

/** The privilege line of an operation: any one of the names, or any valid token. */
export const privilegeText = (ctx: SandboxContext, t: Strings, op: Operation): string => {
  const list = ctx.auth.requiredPrivileges(op)
  return list.length ? list.join(' | ') : t.privilegeAny
}

export const opHref = (op: Operation): string =>
  `/console/reference/${encodeURIComponent(operationKey(op))}`

/** The contract's reference: every operation, searchable, each on its own page. */
export function registerReferencePages(router: Router, app: ConsoleApp): void {
  const { ctx } = app
  // Every API's operations, when the sandbox serves several.
  const ops = ctx.apis
    .flatMap((a) => a.contract.operations)
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
  const byId = new Map(ops.map((op) => [operationKey(op), op]))
  // The search text of every operation, made when the reference is first shown.
  let texts: Map<Operation, string> | undefined
  const haystack = {
    get: (op: Operation): string | undefined =>
      (texts ??= new Map(ops.map((o) => [o, searchText(ctx, o)]))).get(op),
  }
  const title = ctx.apis.map((a) => a.contract.title).join(' + ')
  const version = ctx.apis.map((a) => a.contract.version).join(' + ')

  router.get('/reference', (req, res) => {
    const t = stringsOf(req)
    const q = typeof req.query.q === 'string' ? req.query.q.trim().toLowerCase().slice(0, 200) : ''
    const words = q.split(/\s+/).filter(Boolean)
    const shown = ops.filter((op) => words.every((w) => haystack.get(op)!.includes(w)))
    const body = titled(
      t.referenceTitle,
      html`<p>${fill(t.referenceIntro, { count: ops.length, title, version })}</p>
        <form
          method="get"
          action="/console/reference"
          role="search"
          class="console-filter fr-mb-2w"
        >
          <div class="fr-input-group">
            <label class="fr-label" for="ref-q">${t.searchLabel}</label>
            <input
              class="fr-input"
              type="search"
              id="ref-q"
              name="q"
              value="${q}"
              data-search-input="ref-count"
              autocomplete="off"
            />
          </div>
          <button class="fr-btn fr-btn--secondary" type="submit">${t.search}</button>
        </form>
        <p id="ref-count" aria-live="polite" data-template="${t.searchResults}">
          ${fill(t.searchResults, { count: shown.length })}
        </p>
        ${table({
          id: 'operations',
          caption: t.referenceTitle,
          columns: [t.method, t.path, t.summary, t.privilegeNeeded],
          rows: ops.map((op) =>
            row(
              [
                html`<code>${op.method.toUpperCase()}</code>`,
                html`<a href="${opHref(op)}">${op.path}</a
                  >${op.deprecated ? html` ${badge('warning', t.deprecated, { small: true })}` : ''}`,
                op.summary ?? op.id,
                privilegeText(ctx, t, op),
              ],
              html` data-search="${haystack.get(op)!}"${shown.includes(op) ? '' : html` hidden`}`,
            ),
          ),
        })}`,
    )
    sendPage(req, res, { title: t.referenceTitle, nav: 'reference', body })
  })

  router.get('/reference/:id', async (req, res, next) => {
    const op = byId.get(String(req.params.id))
    if (!op) return next()
    const t = stringsOf(req)
    const group = await ctx.traffic.groupOf(op)
    const codes = errorCodes(op)
    const body = titled(
      `${op.method.toUpperCase()} ${op.path}`,
      html`<p class="fr-text--lead">${op.summary ?? ''}</p>
        ${op.deprecated && html`<div class="fr-alert fr-alert--warning fr-mb-3w"><p>${t.deprecated}</p></div>`}
        <dl class="fr-mb-3w">
          <dt class="fr-text--bold">${t.operation}</dt>
          <dd><code>${op.id}</code></dd>
          <dt class="fr-text--bold">${t.privilegeNeeded}</dt>
          <dd id="op-privilege">${privilegeText(ctx, t, op)}</dd>
          <dt class="fr-text--bold">${t.rateGroup}</dt>
          <dd id="op-rate-group">
            ${group ? html`${group.name} — ${fill(t.perPeriod, { limit: group.limit })}${group.description ? html` (${group.description})` : ''}` : t.rateGroupNone}
          </dd>
          <dt class="fr-text--bold">${t.deprecated}</dt>
          <dd>${op.deprecated ? t.yes : t.no}</dd>
        </dl>
        <p>
          <a class="fr-btn" href="/console/try/${encodeURIComponent(operationKey(op))}"
            >${t.tryIt}</a
          >
        </p>
        <h2>${t.parameters}</h2>
        ${parameterTable(t, op)}
        ${
          op.requestBody &&
          html`<h2>${t.body}</h2>
            <p>
              <code>${op.requestBody.contentType}</code
              >${op.requestBody.required ? ` (${t.paramRequired})` : ''}
            </p>
            <details>
              <summary>${t.schema}</summary>
              <pre tabindex="0" class="console-pre">${pretty(op.requestBody.schema ?? {})}</pre>
            </details>`
        }
        <h2>${t.responses}</h2>
        ${Object.values(op.responses).map(
          (r) =>
            html`<section class="fr-mb-4w">
              <h3>${r.status} — ${r.description}</h3>
              ${codes.get(r.status) && html`<p>${t.code} : ${codes.get(r.status)!.map((c) => html`<code>${c}</code> `)}</p>`}
              ${r.headers.length ? html`<p>${t.headers} : ${r.headers.map((h) => html`<code>${h}</code> `)}</p>` : ''}
              ${r.examples.slice(0, 3).map(
                (e) =>
                  html`<details>
                    <summary>${t.example} ${e.name}</summary>
                    <pre tabindex="0" class="console-pre">${pretty(e.value)}</pre>
                  </details>`,
              )}
              ${
                r.schema &&
                html`<details>
                  <summary>${t.schema}</summary>
                  <pre tabindex="0" class="console-pre">${pretty(r.schema)}</pre>
                </details>`
              }
            </section>`,
        )}`,
    )
    sendPage(req, res, { title: `${op.method.toUpperCase()} ${op.path}`, nav: 'reference', body })
  })
}

function parameterTable(t: Strings, op: Operation): Html {
  if (!op.parameters.length) return html`<p>${t.noParameters}</p>`
  return table({
    caption: t.parameters,
    columns: [t.paramName, t.paramIn, t.paramRequired, t.paramSchema, t.paramExample],
    rows: op.parameters.map((p) => {
      const description = (p.schema as { description?: string }).description
      return row([
        html`<code>${p.name}</code>`,
        p.in,
        p.required ? t.yes : t.no,
        html`${schemaSummary(p.schema)}${description ? html`<br /><span class="fr-hint-text">${String(description)}</span>` : ''}`,
        p.examples.length ? html`<code>${String(p.examples[0])}</code>` : '',
      ])
    }),
  })
}
