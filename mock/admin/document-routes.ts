import type { Router } from 'express'
import type { SandboxContext } from '../context.js'
import { renderDocument } from '../data/documents.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { sendProblem } from './problem.js'

/**
 * `GET /__sandbox/documents/<opId>/<identifier>.pdf`: the PDFs that document operations link to in
 * `document_url`. Open to anyone holding the link, as production's download links are; the same link
 * always gives the same bytes.
 */
export function registerDocumentRoutes(router: Router, ctx: SandboxContext): void {
  const operations = new Set(ctx.apis.flatMap((a) => a.contract.operations.map((o) => o.id)))
  router.get('/documents/:opId/:file', (req, res) => {
    const opId = String(req.params.opId)
    const m = /^([A-Za-z0-9_-][A-Za-z0-9_.-]*)\.pdf$/.exec(String(req.params.file))
    if (!operations.has(opId) || !m) {
      return sendProblem(
        res,
        404,
        SANDBOX_ERRORS.NOT_FOUND,
        `No document at ${req.originalUrl}: take document_url from an API answer.`,
      )
    }
    const pdf = renderDocument(opId, m[1]!, ctx.options.seed, ctx.data.generator.today)
    res
      .status(200)
      .set({
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="${opId}-${m[1]}.pdf"`,
        'cache-control': 'private, max-age=86400',
      })
      .send(pdf)
  })
}
