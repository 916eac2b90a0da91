import { readRun, stepProgress } from '../certification/run-state.js'
import type { SandboxContext } from '../context.js'
import { buildReport, type Report } from './build-report.js'

/** Which part of a client's journal to judge. */
export interface ClientReportRequest {
  /** Real ms, inclusive. */
  from?: number
  /** Real ms, exclusive. */
  to?: number
  /** Judge the whole journal, not the latest certification run. */
  all?: boolean
}

/**
 * The verdict on a client (the service behind `GET /__sandbox/report`, `sandbox-twin run` and the
 * console): its latest certification run with its steps when it has one, else its whole journal.
 */
export async function clientReport(
  ctx: SandboxContext,
  clientId: string,
  request: ClientReportRequest = {},
): Promise<Report> {
  const run = request.all ? undefined : await readRun(ctx.store, clientId)
  const certification = run && {
    startedAt: run.startedAt,
    seed: run.seed,
    pace: run.pace,
    ...(run.software ? { software: run.software } : {}),
    steps: await stepProgress(ctx.store, clientId, run),
  }
  return buildReport(
    {
      journal: ctx.journal,
      contract: ctx.contract,
      ...(ctx.apis.length > 1 ? { apis: ctx.apis.map((a) => a.contract) } : {}),
      delayFactor: ctx.options.delayFactor,
      now: ctx.options.now,
    },
    {
      clientId,
      ...(certification && request.from === undefined
        ? { from: certification.startedAt, certification }
        : {}),
      ...(request.from !== undefined ? { from: request.from } : {}),
      ...(request.to !== undefined ? { to: request.to } : {}),
    },
  )
}
