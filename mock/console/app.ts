import type { Request, Response } from 'express'
import type { SandboxContext } from '../context.js'
import type { Accounts } from './accounts.js'
import { html, type Html } from './html.js'
import { layout, type PageContext, type PageSpec } from './layout.js'
import { localsOf, type Sessions } from './session.js'
import { stringsFor, type Strings } from './strings.js'

/** What every console handler works with. */
export interface ConsoleApp {
  ctx: SandboxContext
  sessions: Sessions
  accounts: Accounts
}

export const LANG_COOKIE = 'sandbox_console_lang'

/** The reader's language: the cookie set by the language switch, else French. */
export function stringsOf(req: Request): Strings {
  const m = /(?:^|;\s*)sandbox_console_lang=(en|fr)(?:;|$)/.exec(req.headers.cookie ?? '')
  return stringsFor(m?.[1])
}

export function pageContext(req: Request, res: Response): PageContext {
  return { t: stringsOf(req), locals: localsOf(res), path: req.path }
}

/** Sends a page: security headers, no caching (pages hold personal data), the DSFR frame. */
export function sendPage(req: Request, res: Response, spec: PageSpec, status = 200): void {
  res.status(status)
  res.setHeader('cache-control', 'no-store')
  res.type('text/html; charset=utf-8')
  res.send(layout(pageContext(req, res), spec).value)
}

/** A page body made of a title and content. */
export const titled = (title: string, ...content: Array<Html | false | undefined>): Html =>
  html`<h1>${title}</h1>
    ${content}`

/** The signed-in client's id, or redirects to sign-in and answers `undefined`. */
export function requireClient(req: Request, res: Response): string | undefined {
  const s = localsOf(res).session
  if (s?.role === 'client' && s.clientId) return s.clientId
  res.redirect(303, `/console/sign-in?back=${encodeURIComponent(req.originalUrl)}`)
  return undefined
}

/** True when the operator is signed in; else redirects to the operator's sign-in. */
export function requireAdminSession(req: Request, res: Response): boolean {
  if (localsOf(res).session?.role === 'admin') return true
  res.redirect(303, `/console/admin/sign-in?back=${encodeURIComponent(req.originalUrl)}`)
  return false
}

/** A local `back` target (never another site), or the fallback. */
export function safeBack(value: unknown, fallback: string): string {
  return typeof value === 'string' &&
    /^\/console\/[^/\\]/.test(value + 'x') &&
    !value.includes('//')
    ? value
    : fallback
}
