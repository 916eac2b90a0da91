import { clientAdmin } from '../../auth/client-admin.js'
import type { Router } from 'express'
import { clientIpOf } from '../../http/client-ip.js'
import { buildReport } from '../../report/build-report.js'
import type { Minimisation } from '../../report/minimisation.js'
import { listScopedFields } from '../../scope/scope-tree.js'
import { requireClient, sendPage, stringsOf, titled, pageContext, type ConsoleApp } from '../app.js'
import { html, type Html } from '../html.js'
import { csrfField } from '../layout.js'
import type { Strings } from '../strings.js'
import { row, table } from '../widgets.js'

const list = (t: Strings, items: readonly string[], id?: string): Html =>
  items.length
    ? html`<ul${id ? html` id="${id}"` : ''}>${items.map((i) => html`<li><code>${i}</code></li>`)}</ul>`
    : html`<p${id ? html` id="${id}"` : ''}>${t.none}</p>`

/**
 * Minimum data: from the reuser's journal, what each operation it called needed and delivered, the
 * fields each privilege unlocks there, and the smallest set of privileges covering its calls (the
 * report's minimisation section), with a button to reduce its privileges to that set.
 */
export function registerMinimumPages(router: Router, app: ConsoleApp): void {
  const { ctx } = app

  const minimise = async (clientId: string): Promise<Minimisation> =>
    (
      await buildReport(
        {
          journal: ctx.journal,
          contract: ctx.contract,
          ...(ctx.apis.length > 1 ? { apis: ctx.apis.map((a) => a.contract) } : {}),
          delayFactor: ctx.options.delayFactor,
          now: ctx.options.now,
        },
        { clientId },
      )
    ).minimisation

  router.get('/minimum', async (req, res) => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    const t = stringsOf(req)
    const p = pageContext(req, res)
    const m = await minimise(clientId)
    const client = await ctx.auth.getClient(clientId)
    const current = client?.privileges ?? []
    const sameAsNow =
      m.smallest.length === current.length && m.smallest.every((x) => current.includes(x))
    const body = titled(
      t.minimumTitle,
      html`<p>${t.minimumIntro}</p>`,
      m.operations.length === 0
        ? html`<p id="minimum-empty">${t.minimumNoCalls}</p>`
        : html`<div class="fr-grid-row fr-grid-row--gutters fr-mb-3w">
              <div class="fr-col-12 fr-col-md-3">
                <h2 class="fr-h6">${t.carried}</h2>
                ${list(t, m.carried, 'carried')}
              </div>
              <div class="fr-col-12 fr-col-md-3">
                <h2 class="fr-h6">${t.needed}</h2>
                ${list(t, m.needed, 'needed')}
              </div>
              <div class="fr-col-12 fr-col-md-3">
                <h2 class="fr-h6">${t.smallest}</h2>
                ${list(t, m.smallest, 'smallest')}
              </div>
              <div class="fr-col-12 fr-col-md-3">
                <h2 class="fr-h6">${t.unused}</h2>
                ${list(t, m.unused, 'unused')}
              </div>
            </div>
            ${!sameAsNow && m.smallest.length > 0 && html`<form method="post" action="/console/minimum/apply" class="fr-mb-5w">${csrfField(p)}<button class="fr-btn" type="submit">${t.applySmallest}</button></form>`}
            ${m.operations.map((o) => {
              // Beside other APIs, the operation is named `<api>/<id>`.
              const cut = ctx.apis.length > 1 ? o.operation.indexOf('/') : -1
              const on = ctx.apis.find((a) => a.api.name === o.operation.slice(0, cut)) ?? ctx
              const scoped = on.fieldScopes.get(o.operation.slice(cut + 1))
              const byScope = new Map<string, string[]>()
              if (scoped)
                for (const [path, scopes] of listScopedFields(scoped))
                  for (const s of scopes) byScope.set(s, [...(byScope.get(s) ?? []), path])
              return html`<section class="fr-mb-5w">
                <h2 class="fr-h4"><code>${o.operation}</code></h2>
                <p>
                  ${t.calls} : ${o.calls} — ${t.privilegeNeeded} :
                  ${o.privileges.join(' | ') || t.privilegeAny}
                </p>
                <details>
                  <summary>
                    ${t.fieldsDelivered}
                    (${o.fieldsFrom === 'contract' ? t.fieldsFromContract : o.fields.length})
                  </summary>
                  ${list(t, o.fields)}
                </details>
                ${
                  o.withheld.length > 0 &&
                  html`<details>
                    <summary>${t.fieldsWithheld} (${o.withheld.length})</summary>
                    ${list(t, o.withheld)}
                  </details>`
                }
                ${
                  byScope.size > 0 &&
                  html`<h3 class="fr-h6">${t.fieldsByPrivilege}</h3>
                    ${table({
                      caption: `${t.fieldsByPrivilege} — ${o.operation}`,
                      columns: [t.privileges, t.fieldsDelivered],
                      rows: [...byScope].map(([s, fields]) =>
                        row([html`<code>${s}</code>`, fields.join(', ')]),
                      ),
                    })}`
                }
              </section>`
            })}`,
    )
    sendPage(req, res, { title: t.minimumTitle, nav: 'minimum', body })
  })

  router.post('/minimum/apply', async (req, res) => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    const m = await minimise(clientId)
    if (m.smallest.length > 0) {
      await clientAdmin(ctx).update(
        clientId,
        { privileges: m.smallest },
        { by: 'client', ip: clientIpOf(req, app.ctx.options.trustProxy) },
      )
    }
    res.redirect(303, '/console/account#privileges')
  })
}
