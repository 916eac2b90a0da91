import { createHash, timingSafeEqual } from 'node:crypto'
import type { Router } from 'express'
import { checkSecretRule } from '../../auth/secret-hash.js'
import { checkSiret } from '../../data/identifiers.js'
import { clientIpOf } from '../../http/client-ip.js'
import { isEmail } from '../accounts.js'
import {
  LANG_COOKIE,
  safeBack,
  sendPage,
  stringsOf,
  titled,
  pageContext,
  type ConsoleApp,
} from '../app.js'
import { checkboxes, field, formList, formText } from '../forms.js'
import { html } from '../html.js'
import { csrfField } from '../layout.js'
import { createAdminFailures } from '../../admin/admin-failures.js'
import { localsOf } from '../session.js'
import { fill } from '../strings.js'

const ID = /^[A-Za-z0-9._-]{3,64}$/
const digest = (v: string): Buffer => createHash('sha256').update(v).digest()

/** Home, language, sign-in (client and operator), sign-up and sign-out. */
export function registerAccessPages(router: Router, app: ConsoleApp): void {
  const { ctx, sessions, accounts } = app

  router.get('/', (req, res) => {
    const t = stringsOf(req)
    const s = localsOf(res).session
    if (s?.role === 'client') return res.redirect(303, '/console/account')
    if (s?.role === 'admin') return res.redirect(303, '/console/admin')
    sendPage(req, res, {
      title: t.homeTitle,
      nav: 'home',
      body: titled(
        t.homeTitle,
        html`<p class="fr-text--lead">${t.homeIntro}</p>
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li><a class="fr-btn" href="/console/sign-in">${t.signIn}</a></li>
            ${ctx.options.console.signup !== 'off' && html`<li><a class="fr-btn fr-btn--secondary" href="/console/sign-up">${t.signUp}</a></li>`}
            <li>
              <a class="fr-btn fr-btn--tertiary" href="/console/reference">${t.navReference}</a>
            </li>
            <li>
              <a class="fr-btn fr-btn--tertiary" href="/console/status">${t.homeStatusLink}</a>
            </li>
          </ul>`,
      ),
    })
  })

  router.get('/language', (req, res) => {
    const lang = req.query.lang === 'en' ? 'en' : 'fr'
    res.setHeader(
      'set-cookie',
      `${LANG_COOKIE}=${lang}; Path=/console; SameSite=Strict; Max-Age=31536000`,
    )
    res.redirect(303, safeBack(req.query.back, '/console/'))
  })

  const signInPage = (
    req: Parameters<typeof sendPage>[0],
    res: Parameters<typeof sendPage>[1],
    values: { clientId?: string; error?: string; notice?: string },
    status = 200,
  ): void => {
    const t = stringsOf(req)
    const p = pageContext(req, res)
    const back = safeBack(
      req.query.back ?? (req.body as Record<string, unknown>)?.back,
      '/console/account',
    )
    sendPage(
      req,
      res,
      {
        title: t.signInTitle,
        nav: 'sign-in',
        alerts: [
          ...(values.error ? [['error', values.error] as ['error', string]] : []),
          ...(values.notice ? [['success', values.notice] as ['success', string]] : []),
        ],
        body: titled(
          t.signInTitle,
          html`<p>${t.signInIntro}</p>
            <form method="post" action="/console/sign-in" class="fr-col-md-6">
              ${csrfField(p)}
              <input type="hidden" name="back" value="${back}" />
              ${field({ name: 'client_id', label: t.clientId, required: true, value: values.clientId ?? '', autocomplete: 'username' })}
              ${field({ name: 'client_secret', label: t.clientSecret, type: 'password', required: true, autocomplete: 'current-password' })}
              <button class="fr-btn" type="submit">${t.signIn}</button>
            </form>`,
        ),
      },
      status,
    )
  }

  router.get('/sign-in', (req, res) => {
    const t = stringsOf(req)
    signInPage(req, res, req.query.created === '1' ? { notice: t.signUpDone } : {})
  })

  router.post('/sign-in', async (req, res) => {
    const t = stringsOf(req)
    const clientId = formText(req.body, 'client_id')
    const secret = (req.body as Record<string, unknown>).client_secret
    if (!ID.test(clientId) || typeof secret !== 'string' || !secret)
      return signInPage(req, res, { clientId, error: t.signInFailed }, 401)
    const result = await ctx.auth.checkClient(
      { clientId, secrets: [secret], method: 'client_secret_post' },
      { ip: clientIpOf(req, app.ctx.options.trustProxy), endpoint: 'console' },
    )
    if (!result.ok) {
      const error =
        result.status === 429
          ? fill(t.signInLocked, { seconds: result.retryAfter ?? 0 })
          : t.signInFailed
      return signInPage(req, res, { clientId, error }, result.status === 429 ? 429 : 401)
    }
    await sessions.open(req, res, { role: 'client', clientId })
    res.redirect(303, safeBack((req.body as Record<string, unknown>).back, '/console/account'))
  })

  router.post('/sign-out', async (req, res) => {
    await sessions.close(req, res)
    res.redirect(303, '/console/')
  })

  const adminPage = (
    req: Parameters<typeof sendPage>[0],
    res: Parameters<typeof sendPage>[1],
    error?: string,
    status = 401,
  ): void => {
    const t = stringsOf(req)
    const p = pageContext(req, res)
    const back = safeBack(
      req.query.back ?? (req.body as Record<string, unknown>)?.back,
      '/console/admin',
    )
    sendPage(
      req,
      res,
      {
        title: t.adminSignIn,
        nav: 'admin',
        alerts: error ? [['error', error]] : [],
        body: titled(
          t.adminSignIn,
          html`<form method="post" action="/console/admin/sign-in" class="fr-col-md-6">
            ${csrfField(p)}
            <input type="hidden" name="back" value="${back}" />
            ${field({ name: 'admin_token', label: t.adminToken, hint: t.adminTokenHint, type: 'password', required: true, autocomplete: 'current-password' })}
            <button class="fr-btn" type="submit">${t.signIn}</button>
          </form>`,
        ),
      },
      error ? status : 200,
    )
  }

  const adminFailures = createAdminFailures(ctx.store, ctx.options.now)
  router.get('/admin/sign-in', (req, res) => adminPage(req, res))
  router.post('/admin/sign-in', async (req, res) => {
    const ip = clientIpOf(req, app.ctx.options.trustProxy)
    // The same count as the admin API's: the admin token is not guessed by trying, here or there.
    const left = await adminFailures.locked(ip)
    if (left > 0) {
      ctx.auth.events.emit({
        type: 'failure',
        ip,
        reason: 'admin-locked',
        endpoint: 'console',
        at: ctx.options.now(),
      })
      res.setHeader('retry-after', String(left))
      return adminPage(req, res, stringsOf(req).adminTooMany, 429)
    }
    const given = formText(req.body, 'admin_token')
    if (!given || !timingSafeEqual(digest(given), digest(ctx.options.adminToken))) {
      ctx.auth.events.emit({
        type: 'failure',
        ip,
        reason: 'bad-admin-token',
        endpoint: 'console',
        at: ctx.options.now(),
      })
      await adminFailures.fail(ip)
      ctx.options.log(`console: failed operator sign-in from ${ip}`)
      return adminPage(req, res, stringsOf(req).adminSignInFailed)
    }
    await sessions.open(req, res, { role: 'admin' })
    res.redirect(303, safeBack((req.body as Record<string, unknown>).back, '/console/admin'))
  })

  // Sign-up, in the operator's chosen mode.
  interface SignUpValues {
    invite?: string
    client_id?: string
    label?: string
    email?: string
    siret?: string
    privileges?: string[]
  }
  const signUpPage = (
    req: Parameters<typeof sendPage>[0],
    res: Parameters<typeof sendPage>[1],
    values: SignUpValues,
    errors: Record<string, string> = {},
    status = 200,
  ): void => {
    const t = stringsOf(req)
    const p = pageContext(req, res)
    const mode = ctx.options.console.signup
    if (mode === 'off')
      return sendPage(
        req,
        res,
        { title: t.signUpTitle, body: titled(t.signUpTitle, html`<p>${t.signUpClosed}</p>`) },
        403,
      )
    const list = Object.values(errors)
    sendPage(
      req,
      res,
      {
        title: t.signUpTitle,
        nav: 'sign-up',
        alerts: list.length
          ? [
              [
                'error',
                html`${t.formErrors}
                  <ul>
                    ${list.map((e) => html`<li>${e}</li>`)}
                  </ul>`,
              ],
            ]
          : [],
        body: titled(
          t.signUpTitle,
          html`<p>${t.signUpIntro}</p>
            <p class="fr-hint-text">${t.required}</p>
            <form method="post" action="/console/sign-up" class="fr-col-md-8" novalidate>
              ${csrfField(p)}
              ${mode === 'invite' && field({ name: 'invite', label: t.inviteCode, hint: t.inviteCodeHint, required: true, value: values.invite ?? '', error: errors.invite, autocomplete: 'off' })}
              ${field({ name: 'client_id', label: t.clientId, hint: t.clientIdHint, required: true, value: values.client_id ?? '', error: errors.client_id, autocomplete: 'username' })}
              ${field({ name: 'label', label: t.label, hint: t.labelHint, required: true, value: values.label ?? '', error: errors.label, autocomplete: 'organization' })}
              ${field({ name: 'email', label: t.email, hint: t.emailHint, type: 'email', required: true, value: values.email ?? '', error: errors.email, autocomplete: 'email' })}
              ${field({ name: 'siret', label: t.siret, hint: t.siretHint, required: true, value: values.siret ?? '', error: errors.siret, autocomplete: 'off', attrs: html` inputmode="numeric"` })}
              ${field({ name: 'client_secret', label: t.clientSecret, hint: t.signUpIntro, type: 'password', required: true, error: errors.client_secret, autocomplete: 'new-password' })}
              ${field({ name: 'client_secret_confirm', label: t.secretConfirm, type: 'password', required: true, error: errors.client_secret_confirm, autocomplete: 'new-password' })}
              ${checkboxes('privileges', t.privilegesAsked, [...ctx.auth.privileges], values.privileges ?? [], t.privilegesHint, errors.privileges)}
              <button class="fr-btn" type="submit">${t.signUp}</button>
            </form>`,
        ),
      },
      status,
    )
  }

  router.get('/sign-up', (req, res) => signUpPage(req, res, {}))

  router.post('/sign-up', async (req, res) => {
    const t = stringsOf(req)
    const mode = ctx.options.console.signup
    if (mode === 'off') return signUpPage(req, res, {}, {}, 403)
    const v: SignUpValues = {
      invite: formText(req.body, 'invite'),
      client_id: formText(req.body, 'client_id'),
      label: formText(req.body, 'label'),
      email: formText(req.body, 'email'),
      siret: formText(req.body, 'siret').replace(/\s+/g, ''),
      privileges: formList(req.body, 'privileges'),
    }
    const secret = (req.body as Record<string, unknown>).client_secret
    const confirm = (req.body as Record<string, unknown>).client_secret_confirm
    const errors: Record<string, string> = {}
    if (!ID.test(v.client_id!)) errors.client_id = t.errClientId
    if (!v.label || v.label.length > 200) errors.label = t.errLabel
    if (!isEmail(v.email!)) errors.email = t.errEmail
    if (checkSiret(v.siret!)) errors.siret = t.errSiret
    if (typeof secret !== 'string' || checkSecretRule(secret)) errors.client_secret = t.errSecret
    else if (secret !== confirm) errors.client_secret_confirm = t.errSecretConfirm
    const unknown = v.privileges!.find((p) => !ctx.auth.privileges.includes(p))
    if (unknown !== undefined) errors.privileges = fill(t.errPrivilege, { name: unknown })
    if (!errors.siret && (await ctx.auth.clients.list()).some((c) => c.siret === v.siret))
      errors.siret = t.errSiretTaken
    if (!errors.client_id && (await ctx.auth.getClient(v.client_id!)))
      errors.client_id = t.errClientIdTaken
    if (Object.keys(errors).length) return signUpPage(req, res, v, errors, 400)
    // The invite is spent only by a sign-up that is otherwise valid.
    if (mode === 'invite' && !(await accounts.useInvite(v.invite!)))
      return signUpPage(req, res, v, { invite: t.errInvite }, 400)
    const made = await ctx.auth.clients.create(
      v.client_id!,
      {
        ...ctx.auth.defaultSettings(),
        label: v.label!,
        siret: v.siret!,
        privileges: [...new Set(v.privileges)],
      },
      secret as string,
    )
    if (!made) return signUpPage(req, res, v, { client_id: t.errClientIdTaken }, 409)
    await accounts.set(v.client_id!, {
      email: v.email!,
      via: 'signup',
      createdAt: ctx.options.now(),
    })
    ctx.auth.events.emit({
      type: 'client',
      clientId: v.client_id!,
      action: 'created',
      by: 'client',
      ip: clientIpOf(req, app.ctx.options.trustProxy),
      at: ctx.options.now(),
    })
    res.redirect(303, '/console/sign-in?created=1')
  })
}
