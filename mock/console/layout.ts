import { html, type Html } from './html.js'
import type { ConsoleLocals } from './session.js'
import type { Strings } from './strings.js'

/** What every page knows about its reader. */
export interface PageContext {
  t: Strings
  locals: ConsoleLocals
  /** The request's path under /console (for the current menu entry and the language switch). */
  path: string
}

export interface PageSpec {
  title: string
  body: Html
  /** Menu entry to mark as current. */
  nav?: string
  /** Alerts shown above the content: [type, text]. */
  alerts?: Array<['success' | 'error' | 'info' | 'warning', string | Html]>
}

/** A hidden field carrying the form token; every POST form of the console has one. */
export const csrfField = (p: PageContext): Html =>
  html`<input type="hidden" name="_csrf" value="${p.locals.csrf}" />`

const navItem = (href: string, label: string, id: string, current?: string): Html =>
  html`<li class="fr-nav__item">
    <a class="fr-nav__link" href="${href}" ${current === id ? html` aria-current="page"` : ''}
      >${label}</a
    >
  </li>`

/** Alerts in DSFR style; the first error also takes `role="alert"` so screen readers say it at once. */
export const alertBox = (
  type: 'success' | 'error' | 'info' | 'warning',
  text: string | Html,
): Html =>
  html`<div
    class="fr-alert fr-alert--${type} fr-alert--sm fr-mb-3w"
    ${type === 'error' ? html` role="alert"` : ''}
  >
    <p>${text}</p>
  </div>`

/**
 * The page frame: DSFR skip links, header with the service name and the menu, main content, footer.
 * The State's brand block (Marianne, "République française") is left out: it is reserved to the
 * State's own services, and this console is run by whoever hosts the sandbox.
 */
export function layout(p: PageContext, spec: PageSpec): Html {
  const { t, locals } = p
  const session = locals.session
  const signedIn = !!session
  const admin = session?.role === 'admin'
  const client = session?.role === 'client'
  const langHref = `/console/language?lang=${t.otherLangCode}&back=${encodeURIComponent(`/console${p.path}`)}`
  return html`<!doctype html>
    <html lang="${t.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no" />
        <meta name="format-detection" content="telephone=no" />
        <title>${spec.title} — ${t.serviceName}</title>
        <link rel="stylesheet" href="/console/assets/dsfr/dsfr.min.css" />
        <link rel="stylesheet" href="/console/assets/console.css" />
      </head>
      <body>
        <div class="fr-skiplinks">
          <nav class="fr-container" role="navigation" aria-label="${t.skipNav}">
            <ul class="fr-skiplinks__list">
              <li><a class="fr-link" href="#content">${t.skipContent}</a></li>
              <li><a class="fr-link" href="#navigation">${t.skipNav}</a></li>
            </ul>
          </nav>
        </div>
        <header role="banner" class="fr-header">
          <div class="fr-header__body">
            <div class="fr-container">
              <div class="fr-header__body-row">
                <div class="fr-header__brand fr-enlarge-link">
                  <div class="fr-header__brand-top">
                    <div class="fr-header__navbar">
                      <button
                        class="fr-btn--menu fr-btn"
                        data-fr-opened="false"
                        aria-controls="modal-menu"
                        aria-haspopup="menu"
                        id="button-menu"
                        title="${t.menu}"
                      >
                        ${t.menu}
                      </button>
                    </div>
                  </div>
                  <div class="fr-header__service">
                    <a href="/console/" title="${t.navHome} — ${t.serviceName}"
                      ><p class="fr-header__service-title">${t.serviceName}</p></a
                    >
                    <p class="fr-header__service-tagline">${t.serviceTagline}</p>
                  </div>
                </div>
                <div class="fr-header__tools">
                  <div class="fr-header__tools-links">
                    <ul class="fr-btns-group">
                      <li>
                        <a
                          class="fr-btn"
                          href="${langHref}"
                          lang="${t.otherLangCode}"
                          hreflang="${t.otherLangCode}"
                          >${t.otherLang}</a
                        >
                      </li>
                      ${
                        signedIn
                          ? html`<li>
                              <form method="post" action="/console/sign-out">
                                ${csrfField(p)}<button class="fr-btn" type="submit">
                                  ${t.signOut}${client ? html` (${session.clientId})` : ''}
                                </button>
                              </form>
                            </li>`
                          : html`<li><a class="fr-btn" href="/console/sign-in">${t.signIn}</a></li>
                              <li><a class="fr-btn" href="/console/sign-up">${t.signUp}</a></li>`
                      }
                    </ul>
                  </div>
                </div>
              </div>
            </div>
          </div>
          <div class="fr-header__menu fr-modal" id="modal-menu" aria-labelledby="button-menu">
            <div class="fr-container">
              <button class="fr-btn--close fr-btn" aria-controls="modal-menu" title="${t.close}">
                ${t.close}
              </button>
              <div class="fr-header__menu-links"></div>
              <nav class="fr-nav" id="navigation" role="navigation" aria-label="${t.mainNav}">
                <ul class="fr-nav__list">
                  ${navItem('/console/', t.navHome, 'home', spec.nav)}
                  ${client && navItem('/console/account', t.navAccount, 'account', spec.nav)}
                  ${navItem('/console/reference', t.navReference, 'reference', spec.nav)}
                  ${client && navItem('/console/minimum', t.navMinimum, 'minimum', spec.nav)}
                  ${client && navItem('/console/journal', t.navJournal, 'journal', spec.nav)}
                  ${client && navItem('/console/certification', t.navCertification, 'certification', spec.nav)}
                  ${navItem('/console/status', t.navStatus, 'status', spec.nav)}
                  ${admin ? navItem('/console/admin', t.navAdmin, 'admin', spec.nav) : !signedIn && navItem('/console/admin/sign-in', t.adminSignIn, 'admin', spec.nav)}
                </ul>
              </nav>
            </div>
          </div>
        </header>
        <main role="main" id="content" tabindex="-1">
          <div class="fr-container fr-py-5w">
            ${locals.expired && alertBox('info', t.sessionExpired)}
            ${(spec.alerts ?? []).map(([type, text]) => alertBox(type, text))} ${spec.body}
          </div>
        </main>
        <footer class="fr-footer" role="contentinfo" id="footer">
          <div class="fr-container">
            <div class="fr-footer__body">
              <div class="fr-footer__content">
                <p class="fr-footer__content-desc">${t.footerText}</p>
              </div>
            </div>
          </div>
        </footer>
        <script type="module" src="/console/assets/dsfr/dsfr.module.min.js"></script>
        <script nomodule src="/console/assets/dsfr/dsfr.nomodule.min.js"></script>
        <script src="/console/assets/console.js" defer></script>
      </body>
    </html>`
}
