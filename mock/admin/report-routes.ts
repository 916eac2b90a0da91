import type { Router } from 'express'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { parseInstant } from '../journal/journal-query.js'
import { VERDICT_HEADER } from '../report/build-report.js'
import {
  attestCertification,
  CertificationRefusedError,
  type CertificationRequest,
  certificationStatus,
  parsePace,
  parseSoftware,
  startCertification,
} from '../certification/certification-service.js'
import { clientReport } from '../report/client-report.js'
import { renderHtml } from '../report/render-html.js'
import { renderJson } from '../report/render-json.js'
import { renderJunit } from '../report/render-junit.js'
import { resolveCaller } from './caller.js'
import { journalOn, resolveJournalReader } from './journal-reader.js'
import { sendProblem } from './problem.js'

const RENDER = {
  json: { type: 'application/json; charset=utf-8', render: renderJson },
  junit: { type: 'application/xml; charset=utf-8', render: renderJunit },
  html: { type: 'text/html; charset=utf-8', render: renderHtml },
} as const

/**
 * The client-behaviour verdict and the certification run:
 * - `GET /__sandbox/report?client=ID&format=json|junit|html[&from=&to=][&run=all]` judges a client's
 *   run from the journal (admin: any client; a client: itself). By default the run is the client's
 *   latest certification run when it has one, else its whole journal; `run=all` judges everything.
 * - `POST /__sandbox/certification` (`{"client_id": "..."}` for the admin; a client: itself) arms
 *   the `certification` scenario sequence from the client's next call and starts a new run.
 */
export function registerReportRoutes(router: Router, ctx: SandboxContext): void {
  router.get('/report', async (req, res) => {
    const format = (req.query.format ?? 'json') as string
    if (!(format in RENDER) && format !== 'attestation')
      return sendProblem(
        res,
        400,
        SANDBOX_ERRORS.INVALID_REQUEST,
        `format must be json, junit, html or attestation; got ${format}`,
      )
    const bounds: { from?: number; to?: number } = {}
    for (const name of ['from', 'to'] as const) {
      const raw = req.query[name]
      if (raw === undefined) continue
      const ms = typeof raw === 'string' ? parseInstant(raw) : undefined
      if (ms === undefined)
        return sendProblem(
          res,
          400,
          SANDBOX_ERRORS.INVALID_REQUEST,
          `${name} must be an ISO 8601 date-time or ms since the epoch`,
        )
      bounds[name] = ms
    }
    const reader = await resolveJournalReader(ctx, req, res)
    if (!reader || !journalOn(ctx, res)) return
    if (reader.clientId === undefined) {
      return sendProblem(
        res,
        400,
        SANDBOX_ERRORS.INVALID_REQUEST,
        'Name the client to judge: /__sandbox/report?client=ID',
      )
    }
    if (ctx.options.auth && !(await ctx.auth.getClient(reader.clientId)))
      return sendProblem(
        res,
        404,
        SANDBOX_ERRORS.NOT_FOUND,
        `No client ${reader.clientId} in this sandbox: list them with GET /__sandbox/clients.`,
      )
    if (format === 'attestation') {
      // An attestation states a whole certification run: no other window.
      const signed = await attestCertification(ctx, reader.clientId)
      if (!signed)
        return sendProblem(
          res,
          409,
          SANDBOX_ERRORS.CONFLICT,
          `Client ${reader.clientId} has no certification run to attest: start one with POST /__sandbox/certification.`,
        )
      res.status(200).type('application/jwt')
      res.setHeader(VERDICT_HEADER, signed.report.verdict)
      res.setHeader('cache-control', 'no-store')
      return res.send(signed.jws)
    }
    const report = await clientReport(ctx, reader.clientId, {
      ...bounds,
      all: req.query.run === 'all',
    })
    const { type, render } = RENDER[format as keyof typeof RENDER]
    res.status(200).type(type)
    res.setHeader(VERDICT_HEADER, report.verdict)
    if (format === 'html')
      res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    res.send(render(report))
  })

  router.post('/certification', async (req, res) => {
    const caller = await resolveCaller(ctx, req, res, { client: true })
    if (!caller) return
    const body = (req.body ?? {}) as Record<string, unknown>
    let request: CertificationRequest
    try {
      for (const name of ['pace', 'software'] as const) {
        if (body[name] !== undefined && typeof body[name] !== 'string')
          throw new CertificationRefusedError(
            SANDBOX_ERRORS.INVALID_REQUEST,
            `${name} must be a string (pace: fast or production; software: name@version)`,
          )
      }
      const software = parseSoftware(body.software as string | undefined)
      request = {
        pace: parsePace(body.pace as string | undefined),
        ...(software ? { software } : {}),
      }
    } catch (err) {
      if (!(err instanceof CertificationRefusedError)) throw err
      return sendProblem(res, 400, SANDBOX_ERRORS.INVALID_REQUEST, err.message)
    }
    try {
      const run = await startCertification(ctx, caller.clientId!, request)
      ctx.options.log(
        `certification: ${caller.actor} started a ${run.pace} certification run for client ${caller.clientId}`,
      )
      res.status(201).json(run)
    } catch (err) {
      if (!(err instanceof CertificationRefusedError)) throw err
      sendProblem(res, 409, SANDBOX_ERRORS.CONFLICT, err.message)
    }
  })

  router.get('/certification', async (req, res) => {
    const caller = await resolveCaller(ctx, req, res, { client: true })
    if (!caller) return
    const status = await certificationStatus(ctx, caller.clientId!)
    if (!status)
      return sendProblem(
        res,
        404,
        SANDBOX_ERRORS.NOT_FOUND,
        `Client ${caller.clientId} has no certification run; start one with POST /__sandbox/certification.`,
      )
    res.status(200).json(status)
  })
}
