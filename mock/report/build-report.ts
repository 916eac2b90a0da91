import type { Contract } from '../contract/types.js'
import type { Journal } from '../journal/journal.js'
import type { JournalEntry } from '../journal/journal-entry.js'
import { declaredFields } from '../scope/schema-fields.js'
import { CHECKS } from './checks.js'
import { contractFacts } from './contract-facts.js'
import { minimise, type Minimisation } from './minimisation.js'
import type { Call, CheckResult, JudgeInput } from './report-types.js'
import type { StepProgress } from '../certification/run-state.js'

export { VERDICT_HEADER } from './verdict-header.js'

/** The verdict on one client's run. */
export interface Report {
  /** Format id, bumped on incompatible changes. */
  format: 'sandbox-twin-report/1'
  client: string
  generatedAt: string
  /** The part of the journal judged (real time). */
  window: {
    from?: string
    to?: string
    /** Real time of arrival of the last API call judged. */
    lastCall?: string
    certification?: {
      startedAt: string
      seed?: number
      pace?: string
      software?: { name: string; version?: string }
    }
  }
  contract: { title: string; version: string }
  /** Every API judged, when the sandbox serves several (the main one first). */
  apis?: Array<{ name: string; title: string; version: string }>
  /** Entries judged, by kind. */
  entries: { api: number; token: number; authFailure: number }
  /**
   * `fail` when any check failed. For a certification run: `incomplete` when a step was not reached
   * or not played (the client stopped calling), else `pass`. Otherwise: `pass` when every check
   * passed, `incomplete` when some were not exercised.
   */
  verdict: 'pass' | 'fail' | 'incomplete'
  /** The certification run's steps, each reached, played and judged or not. */
  steps?: JudgedStep[]
  totals: { pass: number; fail: number; notExercised: number }
  checks: CheckResult[]
  minimisation: Minimisation
}

/** What the report reads. */
export interface ReportDeps {
  journal: Journal
  contract: Contract
  /** Every API's contract when the sandbox serves several (the main one first). */
  apis?: readonly Contract[]
  /** The sandbox's `delayFactor`. */
  delayFactor: number
  now: () => number
}

/** Which run to judge. */
export interface ReportRequest {
  clientId: string
  /** Real ms, inclusive. */
  from?: number
  /** Real ms, exclusive. */
  to?: number
  certification?: {
    startedAt: number
    seed?: number
    pace?: string
    software?: { name: string; version?: string }
    steps?: StepProgress[]
  }
}

/** A certification step in the report: reached, played, and judged by the checks it exercises. */
export interface JudgedStep extends StepProgress {
  /** Every check the step exercises has a pass or fail (a step without checks: once played). */
  judged: boolean
}

/**
 * Steps judged against the journal and the checks' results: a step is reached when any call of the
 * client arrived in its window (answered, refused or held), judged when every check it exercises has
 * a pass or a fail.
 */
export function judgeSteps(
  steps: StepProgress[],
  checks: CheckResult[],
  calls: Call[],
): JudgedStep[] {
  const status = new Map(checks.map((c) => [c.id, c.status]))
  return steps
    .map((step) => {
      const from = step.window ? Date.parse(step.window.from) : undefined
      const to = step.window ? Date.parse(step.window.to) : undefined
      const arrived = from === undefined ? 0 : calls.filter((c) => c.t >= from && c.t < to!).length
      return { ...step, reached: step.reached || arrived > 0, calls: Math.max(step.calls, arrived) }
    })
    .map((step) => ({
      ...step,
      judged:
        step.played &&
        step.checks.every((id) => (status.get(id) ?? 'not-exercised') !== 'not-exercised'),
    }))
}

const bySandboxTime = (a: Call, b: Call): number => a.t - b.t || (a.entry.id < b.entry.id ? -1 : 1)

/** Reads the client's entries from the journal and judges them, check by check. */
export async function buildReport(deps: ReportDeps, request: ReportRequest): Promise<Report> {
  const filter = {
    clientId: request.clientId,
    ...(request.from !== undefined ? { from: request.from } : {}),
    ...(request.to !== undefined ? { to: request.to } : {}),
  }
  const api: JournalEntry[] = []
  const tokens: JournalEntry[] = []
  const callbacks: JournalEntry[] = []
  let authFailure = 0
  for await (const e of deps.journal.stream(filter)) {
    if (e.kind === 'api') api.push(e)
    else if (e.kind === 'token') tokens.push(e)
    else if (e.kind === 'auth-failure') authFailure++
    else if (e.kind === 'callback') callbacks.push(e)
  }
  const calls: Call[] = api
    .map((entry) => {
      const t = Date.parse(entry.sandboxAt)
      return { entry, t, end: t + entry.latencyMs }
    })
    .sort(bySandboxTime)
  tokens.sort((a, b) => Date.parse(a.sandboxAt) - Date.parse(b.sandboxAt))
  const input: JudgeInput = {
    clientId: request.clientId,
    calls,
    tokens,
    callbacks,
    contract: contractFacts(deps.apis ?? deps.contract),
    timeScale: deps.delayFactor,
  }
  const checks = CHECKS.filter((check) => check.applies?.(input.contract) ?? true).map((check) => ({
    id: check.id,
    title: check.title,
    rule: check.rule,
    ...check.judge(input),
  }))
  const totals = {
    pass: checks.filter((c) => c.status === 'pass').length,
    fail: checks.filter((c) => c.status === 'fail').length,
    notExercised: checks.filter((c) => c.status === 'not-exercised').length,
  }
  const steps = request.certification?.steps
    ? judgeSteps(request.certification.steps, checks, calls)
    : undefined
  const verdict: Report['verdict'] =
    totals.fail > 0
      ? 'fail'
      : steps
        ? steps.every((st) => st.reached && st.played)
          ? 'pass'
          : 'incomplete'
        : totals.notExercised > 0
          ? 'incomplete'
          : 'pass'
  const ops = new Map(
    (deps.apis ?? [deps.contract])
      .flatMap((c) => c.operations)
      .map((op) => [op.api === undefined ? op.id : `${op.api}/${op.id}`, op]),
  )
  const iso = (ms: number | undefined): string | undefined =>
    ms === undefined ? undefined : new Date(ms).toISOString()
  return {
    format: 'sandbox-twin-report/1',
    client: request.clientId,
    generatedAt: new Date(deps.now()).toISOString(),
    window: {
      ...(request.from !== undefined ? { from: iso(request.from)! } : {}),
      ...(request.to !== undefined ? { to: iso(request.to)! } : {}),
      ...(api.length ? { lastCall: api.reduce((m, e) => (e.at > m ? e.at : m), api[0]!.at) } : {}),
      ...(request.certification
        ? {
            certification: {
              startedAt: iso(request.certification.startedAt)!,
              ...(request.certification.seed !== undefined
                ? { seed: request.certification.seed }
                : {}),
              ...(request.certification.pace ? { pace: request.certification.pace } : {}),
              ...(request.certification.software
                ? { software: request.certification.software }
                : {}),
            },
          }
        : {}),
    },
    contract: { title: deps.contract.title, version: deps.contract.version },
    ...(deps.apis
      ? {
          apis: deps.apis.map((c) => ({
            name: c.operations[0]?.api ?? '',
            title: c.title,
            version: c.version,
          })),
        }
      : {}),
    entries: { api: api.length, token: tokens.length, authFailure },
    verdict,
    totals,
    checks,
    ...(steps ? { steps } : {}),
    minimisation: minimise(calls, tokens, (id) => {
      const op = ops.get(id)
      return op ? declaredFields(op) : []
    }),
  }
}
