import type { Request, Response, Router } from 'express'
import type { JournalFilter } from '../../journal/journal-backend.js'
import type { JournalEntry } from '../../journal/journal-entry.js'
import { parseJournalQuery } from '../../journal/journal-query.js'
import {
  requireAdminSession,
  requireClient,
  sendPage,
  stringsOf,
  titled,
  type ConsoleApp,
} from '../app.js'
import { field, select } from '../forms.js'
import { html, type Html } from '../html.js'
import { row, table } from '../widgets.js'
import { fill, type Strings } from '../strings.js'
import { sendAdminPage } from './admin.js'

/** Rows shown on a journal page: the latest ones matching. */
const SHOWN = 50

const KINDS = ['api', 'token', 'auth-failure', 'auth-event']

/** The row of one entry; the operator's rows also name the client. */
export function entryRow(e: JournalEntry, withClient: boolean): Html {
  return row(
    [
      html`<time datetime="${e.at}">${e.at.replace('T', ' ').replace('Z', '')}</time>`,
      withClient && (e.clientId ?? '—'),
      e.kind,
      html`<code>${e.method} ${e.path}</code
        >${e.operation ? html`<br /><span class="fr-hint-text">${e.operation}</span>` : ''}`,
      e.status ?? '—',
      e.code ?? '',
      e.scenario ?? '',
      e.latencyMs,
    ],
    html` data-id="${e.id}"`,
  )
}

/**
 * The newest entries matching (at most `limit`), newest first; with `after`, only those recorded
 * after that entry. The journal is read from its newest end, no further than needed: the page costs
 * the same whatever the journal's length.
 */
const latest = (
  app: ConsoleApp,
  filter: JournalFilter,
  after?: string,
  limit = SHOWN,
): Promise<JournalEntry[]> => app.ctx.journal.latest(filter, limit, after)

interface JournalView {
  filter: JournalFilter
  query: Record<string, string>
  error?: string
}

/** Reads the page's filters with the journal API's own rules (`operation`, `status`, `kind`). */
function readFilters(req: Request, allowClient: boolean): JournalView {
  const query: Record<string, string> = {}
  for (const name of ['operation', 'status', 'kind', ...(allowClient ? ['client'] : [])]) {
    const v = req.query[name]
    if (typeof v === 'string' && v.trim()) query[name] = v.trim()
  }
  const parsed = parseJournalQuery(query)
  if ('error' in parsed) return { filter: {}, query, error: parsed.error }
  return { filter: parsed.filter, query }
}

function journalBody(
  t: Strings,
  app: ConsoleApp,
  action: string,
  view: JournalView,
  entries: JournalEntry[],
  withClient: boolean,
): Html {
  const ops = [...new Set(app.ctx.apis.flatMap((a) => a.contract.operations.map((op) => op.id)))]
    .sort()
    .map((id): [string, string] => [id, id])
  const liveUrl = `${action}/entries?${new URLSearchParams(view.query).toString()}`
  return html`<form method="get" action="${action}" class="console-filter fr-mb-3w">
      ${withClient && field({ name: 'client', label: t.client, value: view.query.client ?? '' })}
      ${select('operation', t.filterOperation, [['', t.kindAll], ...ops], view.query.operation ?? '')}
      ${field({ name: 'status', label: t.filterStatus, value: view.query.status ?? '' })}
      ${select('kind', t.filterKind, [['', t.kindAll], ...KINDS.map((k): [string, string] => [k, k])], view.query.kind ?? '')}
      <button class="fr-btn fr-btn--secondary" type="submit">${t.filter}</button>
    </form>
    <p class="fr-sr-only" id="journal-live-status" aria-live="polite"></p>
    ${table({
      id: 'journal',
      attrs: html` data-live="${liveUrl}" data-after="${entries[0]?.id ?? ''}" data-max="${SHOWN}"`,
      caption: `${t.journalTitle} — ${t.journalLive}`,
      columns: [
        `${t.at} (UTC)`,
        withClient && t.client,
        t.kind,
        t.operation,
        t.status,
        t.code,
        t.scenario,
        t.latency,
      ],
      rows: entries.map((e) => entryRow(e, withClient)),
      empty: t.journalEmpty,
    })}`
}

/** The reuser's own journal and the operator's whole journal, both live. */
export function registerJournalPages(router: Router, app: ConsoleApp): void {
  const { ctx } = app
  const off = (t: Strings): Html => html`<p>${t.journalOff}</p>`

  /** JSON for the page's script: new rows (already escaped markup) since `after`. */
  const entriesJson = async (
    req: Request,
    res: Response,
    filter: JournalFilter,
    withClient: boolean,
  ) => {
    const t = stringsOf(req)
    const after =
      typeof req.query.after === 'string' && /^[\w-]{1,64}$/.test(req.query.after)
        ? req.query.after
        : undefined
    const entries = after ? await latest(app, filter, after, 50) : []
    res.setHeader('cache-control', 'no-store')
    res.json({
      rows: entries.map((e) => entryRow(e, withClient).value),
      after: entries[0]?.id ?? after ?? null,
      announce: fill(t.newEntries, { count: entries.length }),
    })
  }

  router.get('/journal', async (req, res) => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    const t = stringsOf(req)
    const view = readFilters(req, false)
    // Whatever the query says, a reuser reads its own entries only.
    const filter = { ...view.filter, clientId }
    const body = ctx.journal.enabled
      ? journalBody(
          t,
          app,
          '/console/journal',
          view,
          view.error ? [] : await latest(app, filter),
          false,
        )
      : off(t)
    sendPage(req, res, {
      title: t.journalTitle,
      nav: 'journal',
      alerts: view.error ? [['error', view.error]] : [],
      body: titled(t.journalTitle, html`<p>${t.journalIntro}</p>`, body),
    })
  })

  router.get('/journal/entries', async (req, res) => {
    const clientId = requireClient(req, res)
    if (!clientId) return
    const view = readFilters(req, false)
    await entriesJson(req, res, { ...view.filter, clientId }, false)
  })

  router.get('/admin/journal', async (req, res) => {
    if (!requireAdminSession(req, res)) return
    const t = stringsOf(req)
    const view = readFilters(req, true)
    const body = ctx.journal.enabled
      ? journalBody(
          t,
          app,
          '/console/admin/journal',
          view,
          view.error ? [] : await latest(app, view.filter),
          true,
        )
      : off(t)
    sendAdminPage(
      req,
      res,
      'journal',
      t.adminJournal,
      body,
      view.error ? [['error', view.error]] : [],
    )
  })

  router.get('/admin/journal/entries', async (req, res) => {
    if (!requireAdminSession(req, res)) return
    await entriesJson(req, res, readFilters(req, true).filter, true)
  })
}
