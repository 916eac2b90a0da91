import type { Response, Router } from 'express'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { exportLines } from '../journal/journal-export.js'
import { parseJournalQuery } from '../journal/journal-query.js'
import { journalOn, resolveJournalReader } from './journal-reader.js'
import { sendProblem } from './problem.js'
import { toWire } from '../http/wire.js'

/** Writes lines to the response, waiting whenever the client reads slower than the journal. */
async function streamLines(res: Response, lines: AsyncIterable<string>): Promise<void> {
  for await (const line of lines) {
    if (res.destroyed) return
    if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve))
  }
  res.end()
}

/**
 * `GET /__sandbox/journal`: the access journal. The admin reads every client's entries (or one's,
 * with `client`); a client, with its own credentials, reads its own. Filters: `client`, `operation`,
 * `status` (`429`, `4xx`, `none`; comma-separated), `kind`, `from`, `to` (ISO 8601 or ms). `format=json`
 * (default) answers a page of `limit` entries (default 100, at most 1000) and the cursor of the next
 * one (`next`, also in a `Link` header); `format=jsonl` or `csv` exports every matching entry.
 */
export function registerJournalRoutes(router: Router, ctx: SandboxContext): void {
  router.get('/journal', async (req, res) => {
    const parsed = parseJournalQuery(req.query as Record<string, unknown>)
    if ('error' in parsed)
      return sendProblem(res, 400, SANDBOX_ERRORS.INVALID_REQUEST, parsed.error)
    const reader = await resolveJournalReader(ctx, req, res)
    if (!reader || !journalOn(ctx, res)) return
    const filter = {
      ...parsed.filter,
      ...(reader.clientId !== undefined ? { clientId: reader.clientId } : {}),
    }
    if (parsed.format !== 'json') {
      const csv = parsed.format === 'csv'
      res.status(200)
      res.type(csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      res.setHeader(
        'content-disposition',
        `attachment; filename="journal${filter.clientId ? `-${filter.clientId.replace(/[^\w.-]/g, '_')}` : ''}.${csv ? 'csv' : 'jsonl'}"`,
      )
      return streamLines(res, exportLines(ctx.journal.stream(filter), parsed.format))
    }
    const page = await ctx.journal.query(filter, parsed.limit, parsed.cursor)
    if (page.next !== undefined) {
      const next = new URLSearchParams({
        ...(req.query as Record<string, string>),
        cursor: page.next,
      })
      res.setHeader('link', `</__sandbox/journal?${next.toString()}>; rel="next"`)
    }
    res.json({
      entries: toWire(page.entries),
      next: page.next ?? null,
      backend: ctx.journal.backend,
    })
  })
}
