import type { Request, Response, Router } from 'express'
import type { Report } from '../../report/build-report.js'
import {
  attestCertification,
  CertificationRefusedError,
  certificationStatus,
  readCertification,
  startCertification,
} from '../../certification/certification-service.js'
import { clientReport } from '../../report/client-report.js'
import { renderHtml } from '../../report/render-html.js'
import { renderJson } from '../../report/render-json.js'
import { renderJunit } from '../../report/render-junit.js'
import { requireClient, sendPage, stringsOf, titled, pageContext, type ConsoleApp } from '../app.js'
import { html } from '../html.js'
import { csrfField, type PageSpec } from '../layout.js'
import { fill, formatDate, type Strings } from '../strings.js'
import { badge, outcomeKind, row, table } from '../widgets.js'

const verdictText = (t: Strings, v: Report['verdict']): string =>
  v === 'pass' ? t.verdictPass : v === 'fail' ? t.verdictFail : t.verdictIncomplete

const checkText = (t: Strings, s: string): string =>
  s === 'pass' ? t.checkPass : s === 'fail' ? t.checkFail : t.checkNotExercised

const DOWNLOADS = {
  html: { type: 'text/html; charset=utf-8', render: renderHtml },
  junit: { type: 'application/xml; charset=utf-8', render: renderJunit },
  json: { type: 'application/json; charset=utf-8', render: renderJson },
} as const

/** Certification: started here, its steps' progress, the verdict and its downloads. */
export function registerCertificationPages(router: Router, app: ConsoleApp): void {
  const { ctx } = app

  /** The sandbox's JWKS, where `sandbox-twin verify` finds the attestation key. */
  const jwksUrl = (req: Request): string =>
    `${
      ctx.options.publicUrlFromHost
        ? `${req.protocol}://${req.get('host') ?? 'localhost'}`
        : ctx.options.publicUrl
    }/.well-known/jwks.json`

  const report = async (clientId: string): Promise<Report | undefined> =>
    (await readCertification(ctx, clientId)) ? clientReport(ctx, clientId) : undefined

  const page = async (req: Request, res: Response, alerts: PageSpec['alerts'] = []) => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    const t = stringsOf(req)
    const p = pageContext(req, res)
    const run = await readCertification(ctx, clientId)
    const r = run ? await report(clientId) : undefined
    const armed = (await certificationStatus(ctx, clientId))?.state === 'running'
    // Progress: each step of the run, its calls, and whether its incident was played.
    const steps = (r?.steps ?? []).map((s, i) => ({
      n: i + 1,
      label: s.title,
      done: s.calls,
      need: s.played ? '✓' : '…',
    }))
    const body = titled(
      t.certTitle,
      html`<p>${t.certIntro}</p>
        <form method="post" action="/console/certification/start" class="fr-mb-4w">
          ${csrfField(p)}<button class="fr-btn" type="submit">${t.certStart}</button>
        </form>
        ${
          run && r
            ? html`<p id="cert-started">
                  ${fill(t.certStarted, { date: formatDate(t.lang, run.startedAt) })}
                </p>
                <h2>${t.certProgress}</h2>
                ${table({
                  id: 'cert-steps',
                  caption: `${t.certProgress}${armed ? '' : ' ✓'}`,
                  columns: [t.certStep, t.scenario, t.certCalls],
                  rows: steps.map((s) => row([s.n, s.label, `${s.done} / ${s.need}`])),
                })}
                <h2 id="verdict">
                  ${t.certVerdict} :
                  ${badge(outcomeKind(r.verdict), verdictText(t, r.verdict), {
                    id: 'verdict-value',
                    attrs: html` data-verdict="${r.verdict}"`,
                  })}
                </h2>
                ${table({
                  id: 'checks',
                  caption: t.certVerdict,
                  columns: [t.check, t.status, t.description],
                  rows: r.checks.map((c) =>
                    row([
                      c.title,
                      badge(outcomeKind(c.status), checkText(t, c.status), { small: true }),
                      c.summary,
                    ]),
                  ),
                })}
                <h2>${t.downloads}</h2>
                <ul class="fr-btns-group fr-btns-group--inline-md">
                  <li>
                    <a
                      class="fr-btn fr-btn--secondary"
                      href="/console/certification/report.html"
                      download
                      >${t.downloadHtml}</a
                    >
                  </li>
                  <li>
                    <a
                      class="fr-btn fr-btn--secondary"
                      href="/console/certification/report.junit"
                      download="report.xml"
                      >${t.downloadJunit}</a
                    >
                  </li>
                  <li>
                    <a
                      class="fr-btn fr-btn--secondary"
                      href="/console/certification/report.json"
                      download
                      >${t.downloadJson}</a
                    >
                  </li>
                  ${
                    armed
                      ? ''
                      : html`<li>
                          <a
                            class="fr-btn fr-btn--secondary"
                            id="download-attestation"
                            href="/console/certification/attestation.jws"
                            download
                            >${t.downloadAttestation}</a
                          >
                        </li>`
                  }
                </ul>
                ${
                  armed
                    ? html`<p id="attestation-pending">${t.attestationPending}</p>`
                    : html`<p id="attestation-verify">
                        ${t.attestationVerify}
                        <code>sandbox-twin verify attestation.jws --jwks ${jwksUrl(req)}</code>
                      </p>`
                }`
            : html`<p id="cert-none">${t.certNone}</p>`
        }`,
    )
    sendPage(req, res, { title: t.certTitle, nav: 'certification', alerts, body })
  }

  router.get('/certification', (req, res) => page(req, res))

  router.post('/certification/start', async (req, res) => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    try {
      await startCertification(ctx, clientId)
    } catch (err) {
      if (!(err instanceof CertificationRefusedError)) throw err
      return page(req, res, [['error', err.message]])
    }
    ctx.options.log(
      `certification: client ${clientId} started a certification run from the console`,
    )
    res.redirect(303, '/console/certification')
  })

  // The signed attestation of the run, once its last step is over: what a vendor attaches to its
  // certification file (checked offline against the sandbox's JWKS).
  router.get('/certification/attestation.jws', async (req, res) => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    const status = await certificationStatus(ctx, clientId)
    if (status?.state !== 'over') return res.redirect(303, '/console/certification')
    const signed = await attestCertification(ctx, clientId)
    if (!signed) return res.redirect(303, '/console/certification')
    res.setHeader('cache-control', 'no-store')
    res.setHeader(
      'content-disposition',
      `attachment; filename="attestation-${clientId.replace(/[^\w.-]/g, '_')}.jws"`,
    )
    res.type('application/jose').send(`${signed.jws}\n`)
  })

  router.get('/certification/report.:format', async (req, res, next) => {
    const format = String(req.params.format) as keyof typeof DOWNLOADS
    if (!(format in DOWNLOADS)) return next()
    const clientId = requireClient(req, res)
    if (!clientId) return
    const r = await report(clientId)
    if (!r) return res.redirect(303, '/console/certification')
    const { type, render } = DOWNLOADS[format]
    res.setHeader('cache-control', 'no-store')
    if (format === 'html')
      res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    res.setHeader(
      'content-disposition',
      `attachment; filename="verdict-${clientId.replace(/[^\w.-]/g, '_')}.${format === 'junit' ? 'xml' : format}"`,
    )
    res.type(type).send(render(r))
  })
}
