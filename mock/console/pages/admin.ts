import type { Request, Response, Router } from 'express'
import { clientAdmin } from '../../auth/client-admin.js'
import { withdrawKey } from '../../auth/withdraw-key.js'
import { clientIpOf } from '../../http/client-ip.js'
import { accountColour, isEmail } from '../accounts.js'
import {
  requireAdminSession,
  sendPage,
  stringsOf,
  titled,
  pageContext,
  type ConsoleApp,
} from '../app.js'
import { checkbox, checkboxes, copyBlock, field, formList, formText } from '../forms.js'
import { html, type Html } from '../html.js'
import { csrfField, type PageSpec } from '../layout.js'
import { fill, formatDate, type Strings } from '../strings.js'
import { badge, colourKind, row, table } from '../widgets.js'

/** The operator's sub-menu, on every operator page. */
export function adminMenu(t: Strings, current: string): Html {
  const items: Array<[string, string, string]> = [
    ['clients', '/console/admin', t.adminClients],
    ['invites', '/console/admin/invites', t.adminInvites],
    ['bans', '/console/admin/bans', t.adminBans],
    ['keys', '/console/admin/keys', t.adminKeys],
    ['interruptions', '/console/admin/interruptions', t.adminInterruptions],
    ['journal', '/console/admin/journal', t.adminJournal],
  ]
  return html`<nav class="fr-mb-4w" aria-label="${t.adminTitle}">
    <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
      ${items.map(([id, href, label]) => html`<li><a class="fr-btn fr-btn--sm ${id === current ? '' : 'fr-btn--tertiary'}" href="${href}" ${id === current ? html` aria-current="page"` : ''}>${label}</a></li>`)}
    </ul>
  </nav>`
}

/** Sends an operator page, titled and with the operator's menu. */
export function sendAdminPage(
  req: Request,
  res: Response,
  current: string,
  title: string,
  body: Html,
  alerts: PageSpec['alerts'] = [],
  status = 200,
): void {
  const t = stringsOf(req)
  sendPage(
    req,
    res,
    { title, nav: 'admin', alerts, body: titled(title, adminMenu(t, current), body) },
    status,
  )
}

/** Invite codes: made with a number of uses and a validity, shown once, withdrawn at will. */
export function registerInvitePages(router: Router, app: ConsoleApp): void {
  const page = async (
    req: Request,
    res: Response,
    shown?: string,
    alerts: PageSpec['alerts'] = [],
  ) => {
    const t = stringsOf(req)
    const p = pageContext(req, res)
    const invites = await app.accounts.invites()
    const now = app.ctx.options.now()
    sendAdminPage(
      req,
      res,
      'invites',
      t.adminInvites,
      html`${
          shown &&
          html`<div class="fr-alert fr-alert--success fr-mb-3w">
            <p>${fill(t.inviteCreated, { code: '' })}<code id="invite-code">${shown}</code></p>
          </div>`
        }
        <form method="post" action="/console/admin/invites" class="console-filter fr-mb-4w">
          ${csrfField(p)}
          ${field({ name: 'uses', label: t.inviteUses, type: 'number', value: '1', required: true, attrs: html` min="1" max="10000"` })}
          ${field({ name: 'days', label: t.inviteValidity, type: 'number', value: '7', required: true, attrs: html` min="1" max="365"` })}
          <button class="fr-btn" type="submit">${t.inviteCreate}</button>
        </form>
        ${table({
          caption: t.adminInvites,
          columns: [t.clientId, t.inviteRemaining, t.inviteExpires, t.actions],
          rows: invites.map((i) =>
            row([
              html`<code>${i.hint}…</code>`,
              i.usesLeft,
              `${formatDate(t.lang, i.expiresAt)}${i.expiresAt <= now ? ' ✕' : ''}`,
              html`<form method="post" action="/console/admin/invites/${i.id}/delete">
                ${csrfField(p)}<button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">
                  ${t.inviteDelete} ${i.hint}…
                </button>
              </form>`,
            ]),
          ),
        })}`,
      alerts,
    )
  }
  router.get('/admin/invites', (req, res) => requireAdminSession(req, res) && page(req, res))
  router.post('/admin/invites', async (req, res) => {
    if (!requireAdminSession(req, res)) return
    const uses = Number(formText(req.body, 'uses'))
    const days = Number(formText(req.body, 'days'))
    if (
      !Number.isInteger(uses) ||
      uses < 1 ||
      uses > 10_000 ||
      !Number.isInteger(days) ||
      days < 1 ||
      days > 365
    )
      return page(req, res, undefined, [
        ['error', `${stringsOf(req).inviteUses} 1–10000, ${stringsOf(req).inviteValidity} 1–365`],
      ])
    const { code } = await app.accounts.createInvite(uses, days)
    app.ctx.options.log(`console: operator created an invite code (${uses} use(s), ${days} day(s))`)
    await page(req, res, code)
  })
  router.post('/admin/invites/:id/delete', async (req, res) => {
    if (!requireAdminSession(req, res)) return
    await app.accounts.deleteInvite(String(req.params.id))
    res.redirect(303, '/console/admin/invites')
  })
}

/** Clients: list and search, create, edit privileges and limits, delete, unlock. */
export function registerClientPages(router: Router, app: ConsoleApp): void {
  const { ctx } = app
  const clients = clientAdmin(ctx)
  const noticeMs = ctx.options.tokens.secretExpiryNoticeDays * 86_400_000

  const listPage = async (
    req: Request,
    res: Response,
    shown?: Html,
    alerts: PageSpec['alerts'] = [],
    status = 200,
  ) => {
    const t = stringsOf(req)
    const p = pageContext(req, res)
    const q = typeof req.query.q === 'string' ? req.query.q.trim().toLowerCase() : ''
    const accounts = await app.accounts.all()
    const rows = []
    for (const c of await ctx.auth.clients.list()) {
      const email = accounts.get(c.clientId)?.email ?? ''
      const hay = `${c.clientId} ${c.label} ${c.siret} ${email}`.toLowerCase()
      if (q && !q.split(/\s+/).every((w) => hay.includes(w))) continue
      const colour = accountColour(c, await ctx.clock.now(c.clientId), noticeMs)
      rows.push(
        row([
          html`<a href="/console/admin/clients/${encodeURIComponent(c.clientId)}"
            >${c.clientId}</a
          >`,
          c.label,
          c.siret,
          email,
          badge(colourKind(colour), colour, { small: true }),
          c.privileges.join(', ') || t.none,
        ]),
      )
    }
    sendAdminPage(
      req,
      res,
      'clients',
      t.adminClients,
      html`${shown}
        <form method="get" action="/console/admin" role="search" class="console-filter fr-mb-3w">
          ${field({ name: 'q', label: t.adminSearch, type: 'search', value: q })}
          <button class="fr-btn fr-btn--secondary" type="submit">${t.search}</button>
        </form>
        ${table({
          caption: `${t.adminClients} (${rows.length})`,
          columns: [t.clientId, t.label, t.siret, t.email, t.accountStatus, t.privileges],
          rows,
        })}
        <h2 class="fr-mt-5w">${t.adminCreateClient}</h2>
        <form method="post" action="/console/admin/clients" class="fr-col-md-8">
          ${csrfField(p)} ${field({ name: 'client_id', label: t.clientId, hint: t.clientIdHint })}
          ${field({ name: 'label', label: t.label, required: true })}
          ${field({ name: 'email', label: t.email, type: 'email' })}
          ${field({ name: 'siret', label: t.siret, hint: t.siretHint, required: true, attrs: html` inputmode="numeric"` })}
          ${checkboxes('privileges', t.privileges, [...ctx.auth.privileges], [])}
          <button class="fr-btn" type="submit">${t.adminCreateClient}</button>
        </form>`,
      alerts,
      status,
    )
  }

  router.get('/admin', (req, res) => requireAdminSession(req, res) && listPage(req, res))

  router.post('/admin/clients', async (req, res) => {
    if (!requireAdminSession(req, res)) return
    const t = stringsOf(req)
    const email = formText(req.body, 'email')
    if (email && !isEmail(email)) return listPage(req, res, undefined, [['error', t.errEmail]], 400)
    const given = formText(req.body, 'client_id')
    const made = await clients.create(
      {
        ...(given ? { client_id: given } : {}),
        label: formText(req.body, 'label'),
        siret: formText(req.body, 'siret').replace(/\s+/g, ''),
        privileges: formList(req.body, 'privileges'),
      },
      { by: 'admin', ip: clientIpOf(req, app.ctx.options.trustProxy) },
    )
    if (!made.ok)
      return listPage(
        req,
        res,
        undefined,
        [['error', made.status === 409 ? t.errClientIdTaken : made.detail]],
        made.status,
      )
    const clientId = made.client.clientId
    if (email)
      await app.accounts.set(clientId, { email, via: 'admin', createdAt: ctx.options.now() })
    res.setHeader('cache-control', 'no-store')
    await listPage(
      req,
      res,
      html`<div class="fr-alert fr-alert--success fr-mb-3w">
        <p>${fill(t.adminCreated, { id: clientId })}</p>
        ${copyBlock('secret-value', made.secret, t.copy, t.copied)}
      </div>`,
    )
  })

  const clientPage = async (
    req: Request,
    res: Response,
    alerts: PageSpec['alerts'] = [],
    status = 200,
  ) => {
    const t = stringsOf(req)
    const p = pageContext(req, res)
    const id = String(req.params.id)
    const c = await ctx.auth.getClient(id)
    if (!c) return listPage(req, res, undefined, [['error', `${t.notFound}: ${id}`]], 404)
    const account = await app.accounts.get(id)
    const action = (path: string): string =>
      `/console/admin/clients/${encodeURIComponent(id)}/${path}`
    sendAdminPage(
      req,
      res,
      'clients',
      `${t.client} ${id}`,
      html`<dl class="fr-mb-3w">
          <dt class="fr-text--bold">${t.email}</dt>
          <dd>${account?.email ?? '—'}</dd>
          <dt class="fr-text--bold">${t.secretExpiresAt}</dt>
          <dd>${c.secretHash ? formatDate(t.lang, c.secretExpiresAt) : t.secretRevoked}</dd>
        </dl>
        <form method="post" action="${action('edit')}" class="fr-col-md-8">
          ${csrfField(p)}
          ${field({ name: 'label', label: t.label, value: c.label, required: true })}
          ${field({ name: 'siret', label: t.siret, value: c.siret, required: true })}
          ${field({ name: 'token_lifetime', label: t.tokenLifetime, type: 'number', value: String(c.tokenLifetime), attrs: html` min="${ctx.options.tokens.minLifetime}" max="${ctx.options.tokens.maxLifetime}"` })}
          ${checkbox('single_use', t.singleUse, c.singleUse)}
          ${checkbox('basic_auth', t.basicAuth, c.basicAuth)}
          ${checkboxes('privileges', t.privileges, [...ctx.auth.privileges], c.privileges)}
          <button class="fr-btn" type="submit">${t.adminSave}</button>
        </form>
        <h2 class="fr-mt-5w">${t.adminUnlock}</h2>
        <form method="post" action="${action('unlock')}">
          ${csrfField(p)}<button class="fr-btn fr-btn--secondary" type="submit">
            ${t.adminUnlock}
          </button>
        </form>
        <h2 class="fr-mt-5w">${t.adminDelete}</h2>
        <form method="post" action="${action('delete')}">
          ${csrfField(p)} ${checkbox('confirm', t.adminDeleteConfirm)}
          <button class="fr-btn fr-btn--secondary" type="submit">${t.adminDelete}</button>
        </form>`,
      alerts,
      status,
    )
  }

  router.get(
    '/admin/clients/:id',
    (req, res) => requireAdminSession(req, res) && clientPage(req, res),
  )

  router.post('/admin/clients/:id/edit', async (req, res) => {
    if (!requireAdminSession(req, res)) return
    const t = stringsOf(req)
    const changed = await clients.update(
      String(req.params.id),
      {
        label: formText(req.body, 'label'),
        siret: formText(req.body, 'siret').replace(/\s+/g, ''),
        privileges: formList(req.body, 'privileges'),
        token_lifetime: Number(formText(req.body, 'token_lifetime')),
        single_use: formText(req.body, 'single_use') === 'on',
        basic_auth: formText(req.body, 'basic_auth') === 'on',
      },
      { by: 'admin', ip: clientIpOf(req, app.ctx.options.trustProxy) },
    )
    if (!changed.ok)
      return changed.status === 404
        ? clientPage(req, res)
        : clientPage(req, res, [['error', changed.detail]], 400)
    await clientPage(req, res, [['success', t.adminSaved]])
  })

  router.post('/admin/clients/:id/unlock', async (req, res) => {
    if (!requireAdminSession(req, res)) return
    const id = String(req.params.id)
    await clients.unlock(id, { by: 'admin', ip: clientIpOf(req, app.ctx.options.trustProxy) })
    await clientPage(req, res, [['success', fill(stringsOf(req).adminUnlocked, { id })]])
  })

  router.post('/admin/clients/:id/delete', async (req, res) => {
    if (!requireAdminSession(req, res)) return
    const t = stringsOf(req)
    const id = String(req.params.id)
    if (formText(req.body, 'confirm') !== 'on')
      return clientPage(req, res, [['error', t.adminDeleteConfirm]], 400)
    if (
      await clients.remove(id, { by: 'admin', ip: clientIpOf(req, app.ctx.options.trustProxy) })
    ) {
      await app.accounts.remove(id)
      await app.sessions.closeClient(id)
    }
    await listPage(req, res, undefined, [['success', fill(t.adminDeleted, { id })]])
  })
}

/** Bans (list, lift) and signing keys (rotate, withdraw). */
export function registerTrafficPages(router: Router, app: ConsoleApp): void {
  const { ctx } = app

  const bansPage = async (req: Request, res: Response, alerts: PageSpec['alerts'] = []) => {
    const t = stringsOf(req)
    const p = pageContext(req, res)
    const bans = await ctx.traffic.bans.list((id) => ctx.clock.now(id))
    sendAdminPage(
      req,
      res,
      'bans',
      t.adminBans,
      table({
        id: 'bans',
        caption: t.adminBans,
        columns: [t.client, 'IP', t.reason, t.from, t.to, t.actions],
        rows: bans.map((b) =>
          row([
            b.clientId,
            b.ip,
            html`${b.reason}${b.detail ? html`<br /><span class="fr-hint-text">${b.detail}</span>` : ''}`,
            formatDate(t.lang, b.since),
            formatDate(t.lang, b.until),
            html`<form method="post" action="/console/admin/bans/lift">
              ${csrfField(p)}<input type="hidden" name="client_id" value="${b.clientId}" /><input
                type="hidden"
                name="ip"
                value="${b.ip}"
              /><button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">
                ${t.banLift} ${b.clientId} ${b.ip}
              </button>
            </form>`,
          ]),
        ),
        empty: t.bansNone,
      }),
      alerts,
    )
  }
  router.get('/admin/bans', (req, res) => requireAdminSession(req, res) && bansPage(req, res))
  router.post('/admin/bans/lift', async (req, res) => {
    if (!requireAdminSession(req, res)) return
    const clientId = formText(req.body, 'client_id')
    const ip = formText(req.body, 'ip')
    const lifted = clientId ? await ctx.traffic.lift(clientId, ip || undefined) : 0
    ctx.options.log(`ban: operator lifted ${lifted} ban(s) of client ${clientId} from the console`)
    await bansPage(req, res, [['success', fill(stringsOf(req).banLifted, { count: lifted })]])
  })

  const keysPage = async (req: Request, res: Response, alerts: PageSpec['alerts'] = []) => {
    const t = stringsOf(req)
    const p = pageContext(req, res)
    const jwks = JSON.parse(await ctx.auth.keys.jwks()) as {
      keys: Array<{ kid: string; alg: string }>
    }
    const active = (await ctx.auth.keys.active()).kid
    sendAdminPage(
      req,
      res,
      'keys',
      t.adminKeys,
      html`<p>${t.keysIntro}</p>
        ${table({
          id: 'keys',
          caption: t.adminKeys,
          columns: ['kid', 'alg', t.status, t.actions],
          rows: jwks.keys.map((k) =>
            row([
              html`<code>${k.kid}</code>`,
              k.alg,
              k.kid === active || k.kid.startsWith('attestation-')
                ? badge('success', k.kid === active ? t.keyActive : t.keyAttestation, {
                    small: true,
                  })
                : t.keyRetired,
              html`<form method="post" action="/console/admin/keys/withdraw">
                ${csrfField(p)}<input type="hidden" name="kid" value="${k.kid}" />
                <button
                  class="fr-btn fr-btn--sm fr-btn--tertiary"
                  type="submit"
                  aria-label="${fill(t.keyWithdrawLabel, { kid: k.kid })}"
                >
                  ${t.keyWithdraw}
                </button>
              </form>`,
            ]),
          ),
        })}
        <form method="post" action="/console/admin/keys/rotate">
          ${csrfField(p)}<button class="fr-btn" type="submit">${t.keyRotate}</button>
        </form>`,
      alerts,
    )
  }
  router.get('/admin/keys', (req, res) => requireAdminSession(req, res) && keysPage(req, res))
  router.post('/admin/keys/rotate', async (req, res) => {
    if (!requireAdminSession(req, res)) return
    const { kid, retired } = await ctx.auth.keys.rotate()
    ctx.options.log(`keys: operator rotated the signing key from the console (new ${kid})`)
    await keysPage(req, res, [['success', fill(stringsOf(req).keyRotated, { kid, retired })]])
  })
  // A leaked key: withdrawn at once, its tokens (or attestations) no longer verify.
  router.post('/admin/keys/withdraw', async (req, res) => {
    if (!requireAdminSession(req, res)) return
    const t = stringsOf(req)
    const kid = formText(req.body, 'kid')
    const done = kid ? await withdrawKey(ctx, kid) : undefined
    if (!done) {
      res.status(404)
      return keysPage(req, res, [['error', fill(t.keyUnknown, { kid })]])
    }
    ctx.options.log(
      `keys: operator withdrew ${done.kind} key ${kid} from the console (new ${done.active})`,
    )
    await keysPage(req, res, [['success', fill(t.keyWithdrawn, { kid, active: done.active })]])
  })
}
