import type { Request, Response, Router } from 'express'
import { accountRepo, accountStatus, pending, valueAt } from '../../callbacks/account.js'
import { updateCallbackAccount } from '../../callbacks/account-update.js'
import type { SandboxContext } from '../../context.js'
import { requireClient, sendPage, stringsOf, titled, pageContext, type ConsoleApp } from '../app.js'
import { field, formText } from '../forms.js'
import { html, type Html } from '../html.js'
import { csrfField, type PageSpec } from '../layout.js'
import { fill, formatDate } from '../strings.js'
import { badge, colourKind } from '../widgets.js'

/**
 * The API account's call-back settings, as the Douane's portal has them: per API that calls back,
 * its status (red: not entitled; yellow: URL or token missing; green: both set), the URL in force
 * and the one waiting for its 4 hours, whether a token is set (never the token) and when a new one
 * applies (15 minutes), and a form to register either.
 */
export function registerCallbackPages(router: Router, app: ConsoleApp): void {
  const { ctx } = app
  const apis = (): SandboxContext[] => ctx.apis.filter((a) => a.callbacks.callsBack)

  const page = async (
    req: Request,
    res: Response,
    alerts: PageSpec['alerts'] = [],
    status = 200,
    errors: Record<string, { field: string; text: string }> = {},
  ): Promise<void> => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    const t = stringsOf(req)
    const p = pageContext(req, res)
    const client = await ctx.auth.getClient(clientId)
    const now = await ctx.clock.now(clientId)
    const sections: Html[] = []
    for (const a of apis()) {
      const name = a.callbacks.api
      const account = await accountRepo(ctx.store.scope(clientId)).get(name)
      const colour = accountStatus(account, a.callbacks.entitled(client?.privileges ?? []))
      const colourText = {
        red: t.callbackRed,
        yellow: t.callbackYellow,
        green: t.callbackGreen,
      }[colour]
      const url = valueAt(account.urls, now)
      const nextUrl = pending(account.urls, now)
      const tokenSet = valueAt(account.tokens, now) !== undefined
      const nextToken = pending(account.tokens, now)
      const error = errors[name]
      sections.push(
        html`<section class="fr-mb-5w" id="api-${name}">
          <h2>${a.contract.title}</h2>
          <p>
            ${badge(colourKind(colour), colourText, {
              id: `callback-colour-${name}`,
              attrs: html` data-colour="${colour}"`,
            })}
          </p>
          <dl class="fr-mb-3w">
            <dt class="fr-text--bold">${t.callbackUrl}</dt>
            <dd id="callback-url-${name}">${url ? html`<code>${url}</code>` : t.callbackNotSet}</dd>
            ${nextUrl && html`<dd>${fill(t.callbackPendingUrl, { url: nextUrl.value, date: formatDate(t.lang, nextUrl.from) })}</dd>`}
            <dt class="fr-text--bold">${t.callbackToken}</dt>
            <dd id="callback-token-${name}">${tokenSet ? t.callbackTokenSet : t.callbackNotSet}</dd>
            ${nextToken && html`<dd>${fill(t.callbackPendingToken, { date: formatDate(t.lang, nextToken.from) })}</dd>`}
          </dl>
          <form method="post" action="/console/callbacks" class="fr-col-md-8">
            ${csrfField(p)}
            <input type="hidden" name="api" value="${name}" />
            ${field({
              name: `url-${name}`,
              label: t.callbackUrl,
              hint: t.callbackUrlHint,
              type: 'url',
              value: '',
              ...(error?.field === 'url' ? { error: error.text } : {}),
            })}
            ${field({
              name: `token-${name}`,
              label: t.callbackToken,
              hint: t.callbackTokenHint,
              type: 'password',
              autocomplete: 'off',
              ...(error?.field === 'token' || error?.field === 'none' ? { error: error.text } : {}),
            })}
            <button class="fr-btn" type="submit">${t.callbackSave}</button>
          </form>
        </section>`,
      )
    }
    const body = titled(
      t.callbacksTitle,
      html`<p>${t.callbacksIntro}</p>`,
      ...(sections.length ? sections : [html`<p>${t.callbacksNone}</p>`]),
    )
    sendPage(req, res, { title: t.callbacksTitle, nav: 'callbacks', alerts, body }, status)
  }

  router.get('/callbacks', (req, res) => page(req, res))

  router.post('/callbacks', async (req, res) => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    const t = stringsOf(req)
    const name = formText(req.body, 'api')
    const on = apis().find((a) => a.callbacks.api === name)
    if (!on) return page(req, res, [['error', t.callbackUnknownApi]], 400)
    const url = formText(req.body, `url-${name}`).trim()
    const token = formText(req.body, `token-${name}`)
    const fault = await updateCallbackAccount(
      { store: ctx.store, clock: ctx.clock, callbacks: on.callbacks },
      clientId,
      { ...(url ? { url } : {}), ...(token ? { token } : {}) },
    )
    if (fault) {
      const text =
        fault.field === 'url'
          ? fault.allowedHosts
            ? fill(t.callbackHostRefused, { hosts: fault.allowedHosts.join(', ') })
            : t.callbackUrlInvalid
          : fault.field === 'token'
            ? t.callbackTokenInvalid
            : t.callbackNothing
      return page(req, res, [['error', text]], 400, { [name]: { field: fault.field, text } })
    }
    res.redirect(303, `/console/callbacks#api-${name}`)
  })
}
