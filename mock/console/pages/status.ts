import type { Request, Response, Router } from 'express'
import { checkInterruption, type Interruption } from '../../status/interruptions.js'
import { createLoadMeter, type ServiceLoad } from '../../status/status-metrics.js'
import {
  requireAdminSession,
  sendPage,
  stringsOf,
  titled,
  pageContext,
  type ConsoleApp,
} from '../app.js'
import { field, formText } from '../forms.js'
import { html, type Html } from '../html.js'
import { csrfField, type PageSpec } from '../layout.js'
import { fill, formatDate, type Strings } from '../strings.js'
import { badge, row, table } from '../widgets.js'
import { sendAdminPage } from './admin.js'

const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16)

/** Requests per second as bars and the median latency as a line, over 60 minutes, in SVG. */
function loadChart(t: Strings, load: ServiceLoad): Html {
  const W = 720
  const H = 240
  const pad = { l: 48, r: 48, t: 12, b: 28 }
  const iw = W - pad.l - pad.r
  const ih = H - pad.t - pad.b
  const maxRps = Math.max(0.1, ...load.minutes.map((m) => m.perSecond))
  const maxLat = Math.max(1, ...load.minutes.map((m) => m.p50 ?? 0))
  const bw = iw / 60
  const bars = load.minutes.map((m, i) => {
    const h = (m.perSecond / maxRps) * ih
    return html`<rect
      x="${(pad.l + i * bw + 1).toFixed(1)}"
      y="${(pad.t + ih - h).toFixed(1)}"
      width="${(bw - 2).toFixed(1)}"
      height="${h.toFixed(1)}"
      fill="#6a6af4"
    ></rect>`
  })
  const points = load.minutes
    .map((m, i) =>
      m.p50 === null
        ? undefined
        : `${(pad.l + i * bw + bw / 2).toFixed(1)},${(pad.t + ih - (m.p50 / maxLat) * ih).toFixed(1)}`,
    )
    .filter(Boolean)
    .join(' ')
  const first = load.minutes[0]!.at
  const last = load.minutes[59]!.at
  return html`<svg
    class="console-chart"
    viewBox="0 0 ${W} ${H}"
    role="img"
    aria-labelledby="chart-title chart-desc"
    xmlns="http://www.w3.org/2000/svg"
  >
    <title id="chart-title">${t.loadTitle}</title>
    <desc id="chart-desc">${fill(t.chartDesc, { max: maxRps, lat: maxLat })}</desc>
    <line
      x1="${pad.l}"
      y1="${pad.t + ih}"
      x2="${W - pad.r}"
      y2="${pad.t + ih}"
      stroke="#666"
    ></line>
    ${bars}
    ${points && html`<polyline points="${points}" fill="none" stroke="#ce0500" stroke-width="2"></polyline>`}
    <text x="${pad.l - 6}" y="${pad.t + 10}" text-anchor="end" font-size="11" fill="#3a3a3a">
      ${maxRps}
    </text>
    <text x="${pad.l - 6}" y="${pad.t + ih}" text-anchor="end" font-size="11" fill="#3a3a3a">
      0
    </text>
    <text x="${W - pad.r + 6}" y="${pad.t + 10}" font-size="11" fill="#ce0500">${maxLat} ms</text>
    <text x="${pad.l}" y="${H - 8}" font-size="11" fill="#3a3a3a">${hhmm(first)}</text>
    <text x="${W - pad.r}" y="${H - 8}" text-anchor="end" font-size="11" fill="#3a3a3a">
      ${hhmm(last)} UTC
    </text>
  </svg>`
}

function interruptionRows(
  t: Strings,
  list: Interruption[],
  now: number,
  actions?: (i: Interruption) => Html,
): Html {
  return table({
    id: 'interruptions',
    caption: t.interruptionsTitle,
    columns: [t.from, t.to, t.message, t.status, !!actions && t.actions],
    rows: list.map((i) =>
      row([
        formatDate(t.lang, i.from),
        formatDate(t.lang, i.to),
        i.message,
        i.from <= now && now < i.to
          ? badge('warning', t.nowLabel, { small: true })
          : i.to <= now
            ? t.finished
            : t.upcoming,
        !!actions && actions(i),
      ]),
    ),
    empty: t.interruptionsNone,
  })
}

/** The public status page (CNIL §5.4) and the operator's interruptions page. */
export function registerStatusPages(router: Router, app: ConsoleApp): void {
  const { ctx } = app
  const meter = createLoadMeter(ctx.journal, ctx.options.now)

  router.get('/status', async (req, res) => {
    const t = stringsOf(req)
    const now = ctx.options.now()
    const [load, list] = await Promise.all([meter.read(), ctx.interruptions.list()])
    const running = ctx.interruptions.current(now)
    const visible = list.filter((i) => i.to > now)
    const body = titled(
      t.statusTitle,
      html`<p>${t.statusIntro}</p>
        ${running ? html`<div class="fr-alert fr-alert--warning fr-mb-3w" id="service-state"><p>${fill(t.statusInterrupted, { message: running.message })}</p></div>` : html`<div class="fr-alert fr-alert--success fr-mb-3w" id="service-state"><p>${t.statusOperational}</p></div>`}
        <h2>${t.interruptionsTitle}</h2>
        ${interruptionRows(t, visible, now)}
        <h2 class="fr-mt-5w">${t.loadTitle}</h2>
        <p id="total-requests">${fill(t.totalRequests, { count: load.total })}</p>
        ${loadChart(t, load)}
        <details class="fr-mt-2w">
          <summary>${t.chartTable}</summary>
          ${table({
            caption: t.loadTitle,
            columns: [t.minute, t.requestsPerSecond, t.latencyMedian, t.latencyP95],
            rows: load.minutes.map((m) =>
              row([hhmm(m.at), m.perSecond, m.p50 ?? '—', m.p95 ?? '—']),
            ),
          })}
        </details>
        <h2 class="fr-mt-5w">${t.usageTitle}</h2>
        ${table({
          id: 'usage',
          caption: t.usageTitle,
          columns: [t.operation, t.calls, t.share, t.errors],
          rows: load.operations.map((o) =>
            row([
              o.operation || t.unrouted,
              o.requests,
              `${load.total ? Math.round((o.requests / load.total) * 1000) / 10 : 0} %`,
              o.errors,
            ]),
          ),
        })}`,
    )
    sendPage(req, res, { title: t.statusTitle, nav: 'status', body })
  })

  const adminPage = async (
    req: Request,
    res: Response,
    alerts: PageSpec['alerts'] = [],
    status = 200,
  ) => {
    const t = stringsOf(req)
    const p = pageContext(req, res)
    const now = ctx.options.now()
    const list = await ctx.interruptions.list()
    sendAdminPage(
      req,
      res,
      'interruptions',
      t.adminInterruptions,
      html`${interruptionRows(
          t,
          list,
          now,
          (i) =>
            html`<form method="post" action="/console/admin/interruptions/${i.id}/delete">
              ${csrfField(p)}<button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">
                ${t.interruptionDelete}
              </button>
            </form>`,
        )}
        <h2 class="fr-mt-5w">${t.interruptionCreate}</h2>
        <form method="post" action="/console/admin/interruptions" class="fr-col-md-8">
          ${csrfField(p)}
          ${field({ name: 'from', label: t.from, hint: t.interruptionFromHint, type: 'datetime-local' })}
          ${field({ name: 'to', label: t.to, hint: t.interruptionToHint, type: 'datetime-local', required: true })}
          ${field({ name: 'message', label: t.message, required: true, attrs: html` maxlength="500"` })}
          <button class="fr-btn" type="submit">${t.interruptionCreate}</button>
        </form>`,
      alerts,
      status,
    )
  }

  router.get(
    '/admin/interruptions',
    (req, res) => requireAdminSession(req, res) && adminPage(req, res),
  )

  /** `datetime-local` values carry no zone: the form says UTC, so they are read as UTC. */
  const utc = (v: string): number =>
    v ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`) : NaN

  router.post('/admin/interruptions', async (req, res) => {
    if (!requireAdminSession(req, res)) return
    const t = stringsOf(req)
    const now = ctx.options.now()
    const fromText = formText(req.body, 'from')
    const from = fromText ? utc(fromText) : now
    const to = utc(formText(req.body, 'to'))
    const message = formText(req.body, 'message')
    const fault = checkInterruption(from, to, message, now)
    if (fault)
      return adminPage(req, res, [['error', fill(t.errInterruption, { detail: fault })]], 400)
    const made = await ctx.interruptions.create({ from, to, message })
    ctx.options.log(`interruption: operator announced ${made.id} from the console`)
    await adminPage(req, res, [['success', t.interruptionCreated]])
  })

  router.post('/admin/interruptions/:id/delete', async (req, res) => {
    if (!requireAdminSession(req, res)) return
    await ctx.interruptions.remove(String(req.params.id))
    await adminPage(req, res, [['success', stringsOf(req).interruptionDeleted]])
  })
}
