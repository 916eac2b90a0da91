import { clientAdmin } from '../../auth/client-admin.js'
import type { Request, Response, Router } from 'express'
import { clientIpOf } from '../../http/client-ip.js'
import { parseDuration } from '../../clock/clock.js'
import { accountColour } from '../accounts.js'
import { requireClient, sendPage, stringsOf, titled, pageContext, type ConsoleApp } from '../app.js'
import { checkbox, checkboxes, copyBlock, field, formList, formText, select } from '../forms.js'
import { html, type Html } from '../html.js'
import { csrfField, type PageSpec } from '../layout.js'
import { localsOf } from '../session.js'
import { fill, formatDate } from '../strings.js'
import { badge, colourKind } from '../widgets.js'

const OVERLAPS = { '0': 0, '3600': 3600, '86400': 86_400, '604800': 604_800 } as const

/** Mints a regular access token carrying every privilege of the client, kept in the session. */
export async function mintToken(app: ConsoleApp, req: Request, res: Response, clientId: string) {
  const client = await app.ctx.auth.getClient(clientId)
  if (!client) return undefined
  const { token, claims } = await app.ctx.auth.issue(client, {
    scopes: [...client.privileges],
    singleUse: false,
    ip: clientIpOf(req, app.ctx.options.trustProxy),
  })
  const minted = { value: token, jti: claims.jti, expiresAt: claims.exp * 1000 }
  const session = localsOf(res).session!
  session.token = minted
  await app.sessions.save(res)
  return minted
}

/** The reuser's account: colour, secret (notice, rotation, revocation), token, clock, privileges. */
export function registerAccountPages(router: Router, app: ConsoleApp): void {
  const { ctx } = app
  const noticeMs = ctx.options.tokens.secretExpiryNoticeDays * 86_400_000

  const accountPage = async (
    req: Request,
    res: Response,
    extra: { alerts?: PageSpec['alerts']; shown?: Html } = {},
    status = 200,
  ): Promise<void> => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    const t = stringsOf(req)
    const p = pageContext(req, res)
    const client = await ctx.auth.getClient(clientId)
    if (!client) {
      await app.sessions.close(req, res)
      return void res.redirect(303, '/console/sign-in')
    }
    const clock = await ctx.clock.read(clientId)
    const colour = accountColour(client, clock.now, noticeMs)
    const notice = ctx.auth.secretNotice(client, clock.now)
    const account = await app.accounts.get(clientId)
    const portal = await ctx.auth.portal.list(clientId)
    const session = localsOf(res).session!
    const token = session.token && session.token.expiresAt > clock.now ? session.token : undefined
    const colourText = { red: t.statusRed, yellow: t.statusYellow, green: t.statusGreen }[colour]
    const alerts: NonNullable<PageSpec['alerts']> = [...(extra.alerts ?? [])]
    const body = titled(
      t.accountTitle,
      extra.shown,
      !!notice &&
        html`<div class="fr-notice fr-notice--info fr-mb-3w" id="expiry-notice">
          <div class="fr-container">
            <div class="fr-notice__body">
              <p class="fr-notice__title">${t.expiryNoticeTitle}</p>
              <p>
                ${fill(t.expiryNotice, { date: formatDate(t.lang, client.secretExpiresAt) })}
                <a href="#rotate">${t.renewNow}</a>
              </p>
            </div>
          </div>
        </div>`,
      html`<h2>${t.accountStatus}</h2>
        <p>
          ${badge(colourKind(colour), colourText, {
            id: 'account-colour',
            attrs: html` data-colour="${colour}"`,
          })}
        </p>
        <dl class="fr-mb-3w">
          <dt class="fr-text--bold">${t.clientId}</dt>
          <dd><code>${client.clientId}</code></dd>
          <dt class="fr-text--bold">${t.label}</dt>
          <dd>${client.label}</dd>
          <dt class="fr-text--bold">${t.siret}</dt>
          <dd>${client.siret}</dd>
          ${
            account &&
            html`<dt class="fr-text--bold">${t.email}</dt>
              <dd>${account.email}</dd>`
          }
          <dt class="fr-text--bold">${t.privileges}</dt>
          <dd>${client.privileges.length ? client.privileges.join(', ') : t.none}</dd>
          ${
            client.secretHash
              ? html`<dt class="fr-text--bold">${t.secretExpiresAt}</dt>
                  <dd>${formatDate(t.lang, client.secretExpiresAt)}</dd>`
              : html`<dt class="fr-text--bold">${t.secretRevoked}</dt>
                  <dd></dd>`
          }
          ${
            client.previous &&
            html`<dt class="fr-text--bold">${t.previousSecretUntil}</dt>
              <dd>${formatDate(t.lang, client.previous.validUntil)}</dd>`
          }
        </dl>

        ${
          ctx.apis.some((a) => a.callbacks.callsBack) &&
          html`<p id="callbacks-link"><a href="/console/callbacks">${t.callbacksTitle}</a></p>`
        }

        <h2 id="token">${t.tokenTitle}</h2>
        <p>${fill(t.tokenIntro, { lifetime: client.tokenLifetime })}</p>
        <p id="token-current">
          ${token ? fill(t.tokenCurrent, { jti: token.jti, date: formatDate(t.lang, token.expiresAt) }) : t.tokenNone}
        </p>
        <form method="post" action="/console/account/token">
          ${csrfField(p)}<button class="fr-btn" type="submit">${t.tokenMint}</button>
        </form>

        <h2 id="portal" class="fr-mt-5w">${t.portalTitle}</h2>
        <p>${t.portalIntro}</p>
        ${
          portal.length
            ? html`<ul id="portal-tokens">
                ${portal.map((r) => html`<li><code>${r.jti}</code> — ${formatDate(t.lang, r.expiresAt)}${r.revokedAt ? html` (${t.portalRevoked})` : html` <form class="fr-mt-1w" method="post" action="/console/account/portal/revoke">${csrfField(p)}<input type="hidden" name="jti" value="${r.jti}" /><button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">${t.portalRevoke} ${r.jti}</button></form>`}</li>`)}
              </ul>`
            : html`<p>${t.portalNone}</p>`
        }
        <form method="post" action="/console/account/portal">
          ${csrfField(p)}<button class="fr-btn fr-btn--secondary" type="submit">
            ${t.portalMint}
          </button>
        </form>

        <h2 id="rotate" class="fr-mt-5w">${t.rotateTitle}</h2>
        <p>${t.rotateIntro}</p>
        <form method="post" action="/console/account/rotate" class="fr-col-md-6">
          ${csrfField(p)}
          ${select(
            'overlap',
            t.overlap,
            [
              ['0', t.overlapNone],
              ['3600', t.overlapHour],
              ['86400', t.overlapDay],
              ['604800', t.overlapWeek],
            ],
            '86400',
          )}
          <button class="fr-btn fr-btn--secondary" type="submit">${t.rotate}</button>
        </form>

        <h2 id="clock" class="fr-mt-5w">${t.clockTitle}</h2>
        <p>
          ${fill(t.clockIntro, { now: formatDate(t.lang, clock.now), offset: Math.round(clock.offset / 1000) })}
        </p>
        <form method="post" action="/console/account/clock" class="console-filter">
          ${csrfField(p)}
          ${field({ name: 'advance', label: t.clockAdvance, hint: t.clockAdvanceHint, value: '' })}
          <button class="fr-btn fr-btn--secondary" type="submit" name="action" value="advance">
            ${t.clockMove}
          </button>
          <button class="fr-btn fr-btn--tertiary" type="submit" name="action" value="reset">
            ${t.clockReset}
          </button>
        </form>

        <h2 id="privileges" class="fr-mt-5w">${t.privilegesUpdate}</h2>
        <form method="post" action="/console/account/privileges">
          ${csrfField(p)}
          ${checkboxes('privileges', t.privilegesAsked, [...ctx.auth.privileges], client.privileges, t.privilegesHint)}
          <button class="fr-btn fr-btn--secondary" type="submit">${t.privilegesUpdate}</button>
        </form>

        <h2 id="revoke" class="fr-mt-5w">${t.revokeTitle}</h2>
        <p>${t.revokeIntro}</p>
        <form method="post" action="/console/account/revoke">
          ${csrfField(p)} ${checkbox('confirm', t.revokeConfirm)}
          <button class="fr-btn fr-btn--secondary" type="submit">${t.revoke}</button>
        </form>`,
    )
    sendPage(req, res, { title: t.accountTitle, nav: 'account', alerts, body }, status)
  }

  router.get('/account', (req, res) => accountPage(req, res))

  router.post('/account/token', async (req, res) => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    const t = stringsOf(req)
    const minted = await mintToken(app, req, res, clientId)
    if (!minted) return accountPage(req, res)
    await accountPage(req, res, {
      shown: html`<div class="fr-alert fr-alert--success fr-mb-3w" id="token-shown">
        <p>
          ${fill(t.tokenMinted, { jti: minted.jti, date: formatDate(t.lang, minted.expiresAt) })}
        </p>
        ${copyBlock('token-value', minted.value, t.copy, t.copied)}
      </div>`,
    })
  })

  router.post('/account/portal', async (req, res) => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    const t = stringsOf(req)
    const minted = await ctx.auth.portal.mint(clientId, {
      by: 'client',
      ip: clientIpOf(req, app.ctx.options.trustProxy),
    })
    if (!minted.ok)
      return accountPage(req, res, { alerts: [['error', minted.detail]] }, minted.status)
    res.setHeader('cache-control', 'no-store')
    await accountPage(req, res, {
      shown: html`<div class="fr-alert fr-alert--success fr-mb-3w" id="portal-shown">
        <p>
          ${fill(t.portalMinted, { jti: minted.record.jti, date: formatDate(t.lang, minted.record.expiresAt) })}
        </p>
        ${copyBlock('portal-value', minted.token, t.copy, t.copied)}
      </div>`,
    })
  })

  router.post('/account/portal/revoke', async (req, res) => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    await ctx.auth.portal.revoke(
      clientId,
      formText(req.body, 'jti'),
      clientIpOf(req, app.ctx.options.trustProxy),
    )
    res.redirect(303, '/console/account#portal')
  })

  router.post('/account/rotate', async (req, res) => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    const t = stringsOf(req)
    const key = formText(req.body, 'overlap') as keyof typeof OVERLAPS
    const overlap = OVERLAPS[key] ?? ctx.options.tokens.rotationOverlap
    const rotated = await ctx.auth.clients.rotateSecret(clientId, overlap * 1000)
    if (!rotated) return accountPage(req, res)
    ctx.auth.events.emit({
      type: 'client',
      clientId,
      action: 'secret-rotated',
      by: 'client',
      ip: clientIpOf(req, app.ctx.options.trustProxy),
      at: ctx.options.now(),
    })
    res.setHeader('cache-control', 'no-store')
    await accountPage(req, res, {
      shown: html`<div class="fr-alert fr-alert--success fr-mb-3w" id="secret-shown">
        <p>${t.rotated}</p>
        ${copyBlock('secret-value', rotated.secret, t.copy, t.copied)}
      </div>`,
    })
  })

  router.post('/account/revoke', async (req, res) => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    const t = stringsOf(req)
    if (formText(req.body, 'confirm') !== 'on')
      return accountPage(req, res, { alerts: [['error', t.revokeNeedsConfirm]] }, 400)
    const count =
      (await ctx.auth.revokeSecret(clientId, clientIpOf(req, app.ctx.options.trustProxy))) ?? 0
    await app.sessions.closeClient(clientId)
    await app.sessions.close(req, res)
    localsOf(res).session = undefined
    sendPage(req, res, {
      title: t.revokeTitle,
      body: titled(t.revokeTitle, html`<p id="revoked">${fill(t.revoked, { count })}</p>`),
    })
  })

  router.post('/account/clock', async (req, res) => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    const t = stringsOf(req)
    if (formText(req.body, 'action') === 'reset') {
      await ctx.clock.reset(clientId)
      return accountPage(req, res)
    }
    const ms = parseDuration(formText(req.body, 'advance'))
    if (ms === undefined || ms === 0)
      return accountPage(req, res, { alerts: [['error', t.errDuration]] }, 400)
    await ctx.clock.advance(clientId, ms)
    ctx.options.log(
      `clock: client ${clientId} advanced its clock by ${ms / 1000} s from the console`,
    )
    res.redirect(303, '/console/account#clock')
  })

  router.post('/account/privileges', async (req, res) => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    const t = stringsOf(req)
    const wanted = formList(req.body, 'privileges')
    const unknown = wanted.find((p) => !ctx.auth.privileges.includes(p))
    if (unknown !== undefined)
      return accountPage(
        req,
        res,
        { alerts: [['error', fill(t.errPrivilege, { name: unknown })]] },
        400,
      )
    await clientAdmin(ctx).update(
      clientId,
      { privileges: wanted },
      { by: 'client', ip: clientIpOf(req, app.ctx.options.trustProxy) },
    )
    await accountPage(req, res, { alerts: [['success', t.privilegesUpdated]] })
  })
}
