import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import type { SandboxContext } from '../context.js'
import { createAccounts } from './accounts.js'
import { sendPage, stringsOf, titled, type ConsoleApp } from './app.js'
import { assetsRouter } from './assets.js'
import { html } from './html.js'
import { registerAccessPages } from './pages/access.js'
import { registerAccountPages } from './pages/account.js'
import { registerCallbackPages } from './pages/callbacks.js'
import { registerClientPages, registerInvitePages, registerTrafficPages } from './pages/admin.js'
import { registerCertificationPages } from './pages/certification.js'
import { registerJournalPages } from './pages/journal.js'
import { registerMinimumPages } from './pages/minimum.js'
import { registerReferencePages } from './pages/reference.js'
import { registerStatusPages } from './pages/status.js'
import { registerTryPages } from './pages/try.js'
import { createSessions } from './session.js'

/** Content-Security-Policy of every console page: own files only, no inline script, no framing. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ')

/**
 * The web console, mounted at `/console`: server-rendered DSFR pages, forms that work without
 * script, a small script for live updates. It runs on the express side of the sandbox, never on the
 * API's request path. See docs/console.md.
 */
export function createConsoleRouter(ctx: SandboxContext): Router {
  const sessions = createSessions(ctx)
  const app: ConsoleApp = { ctx, sessions, accounts: createAccounts(ctx) }
  const router = express.Router()
  router.use('/assets', assetsRouter())
  router.use((_req, res, next) => {
    res.setHeader('content-security-policy', CSP)
    res.setHeader('x-content-type-options', 'nosniff')
    res.setHeader('referrer-policy', 'same-origin')
    res.setHeader('x-frame-options', 'DENY')
    res.setHeader('cross-origin-opener-policy', 'same-origin')
    next()
  })
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 2000 }))
  router.use((req, res, next) => void sessions.load(req, res, next).catch(next))
  router.use((req, res, next) => {
    // Every state-changing request must come from a console page of this very sandbox.
    if (req.method !== 'POST' || sessions.checkForm(req, res)) return next()
    const t = stringsOf(req)
    ctx.options.log(`console: refused a ${req.method} ${req.path} without a valid form token`)
    sendPage(
      req,
      res,
      { title: t.forbidden, body: titled(t.forbidden, html`<p>${t.csrfRefused}</p>`) },
      403,
    )
  })
  registerAccessPages(router, app)
  registerAccountPages(router, app)
  registerCallbackPages(router, app)
  registerInvitePages(router, app)
  registerClientPages(router, app)
  registerTrafficPages(router, app)
  registerStatusPages(router, app)
  registerReferencePages(router, app)
  registerTryPages(router, app)
  registerJournalPages(router, app)
  registerMinimumPages(router, app)
  registerCertificationPages(router, app)
  router.use((req, res) => {
    const t = stringsOf(req)
    sendPage(
      req,
      res,
      {
        title: t.notFound,
        body: titled(
          t.notFound,
          html`<p>${t.notFoundText}</p>
            <p><a class="fr-link" href="/console/">${t.navHome}</a></p>`,
        ),
      },
      404,
    )
  })
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const t = stringsOf(req)
    const tooLarge = (err as { type?: string }).type === 'entity.too.large'
    if (!tooLarge)
      ctx.options.log(
        `console: error on ${req.method} ${req.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      )
    if (res.headersSent) return void res.end()
    sendPage(
      req,
      res,
      {
        title: t.errorTitle,
        body: titled(t.errorTitle, html`<p>${tooLarge ? t.errorTooLarge : t.errorText}</p>`),
      },
      tooLarge ? 413 : 500,
    )
  })
  return router
}
