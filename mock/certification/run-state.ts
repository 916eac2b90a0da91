import { randomBytes } from 'node:crypto'
import type { Store } from '../store/store.js'
import { PACE_VALUES, PLAN, type Pace, type StepSpec } from './plan.js'

/** The software a vendor declares for a certification run (`--software name@version`). */
export interface DeclaredSoftware {
  name: string
  version?: string
}

/** A client's latest certification run, as kept in its scope of the store. */
export interface CertificationRun {
  /** Unique per run: its counters are keyed by it. */
  id: string
  /** Real time it started, ms: the report judges the journal from there. */
  startedAt: number
  /** The sandbox's seed: the same seed and the same client behaviour give the same verdict. */
  seed: number
  pace: Pace
  software?: DeclaredSoftware
  /** Sandbox ms at which each step's window opened, in plan order; shorter while steps are ahead. */
  opened: number[]
  /** Real ms of the same openings. */
  openedReal: number[]
}

/** Where a call falls in a run: its step, its number in the step's window, time since the window opened. */
export interface StepCall {
  run: CertificationRun
  index: number
  step: StepSpec
  k: number
  sinceFirstMs: number
}

const NS = 'certification'
const COUNTS = 'certification-counts'
/** Counters outlive any run; a new run gets new keys. */
const COUNT_TTL = 30 * 86_400_000

/** True when the store can tell at once that no client has a certification run on record. */
export const noRunOnRecord = (store: Store): boolean => store.holdsAny?.(NS) === false

export const readRun = (store: Store, clientId: string): Promise<CertificationRun | undefined> =>
  store.scope(clientId).get<CertificationRun>(NS, 'run')

/** Records a new run for a client, replacing any earlier one. */
export async function saveNewRun(
  store: Store,
  clientId: string,
  init: Omit<CertificationRun, 'id' | 'opened' | 'openedReal'>,
): Promise<CertificationRun> {
  const run: CertificationRun = {
    id: randomBytes(6).toString('hex'),
    ...init,
    opened: [],
    openedReal: [],
  }
  await store.scope(clientId).set(NS, 'run', run)
  return run
}

/** End of a step's window, sandbox ms (`undefined` while it has not opened). */
export const windowEnd = (run: CertificationRun, index: number): number | undefined => {
  const at = run.opened[index]
  return at === undefined ? undefined : at + PLAN[index]!.window[run.pace]
}

/**
 * Opens the next step's window when the client calls after the current one closed (or calls for the
 * first time since the run started). Returns the run and the open step's index, and whether this call
 * opened it; `undefined` without a run or once its last window has closed.
 */
export async function advanceRun(
  store: Store,
  clientId: string,
  now: number,
  realNow: number,
): Promise<{ run: CertificationRun; index: number; opened: boolean } | undefined> {
  const run = await readRun(store, clientId)
  if (!run) return undefined
  const index = run.opened.length - 1
  const end = windowEnd(run, index)
  if (index >= 0 && end !== undefined && now < end) return { run, index, opened: false }
  if (index + 1 >= PLAN.length) return undefined
  run.opened[index + 1] = now
  run.openedReal[index + 1] = realNow
  await store.scope(clientId).set(NS, 'run', run)
  return { run, index: index + 1, opened: true }
}

/** What `advanceRun` found: the run and the step a call falls in, or `undefined` without a run. */
export type RunAdvance = Awaited<ReturnType<typeof advanceRun>>

/** Where a request keeps what `advanceRun` found for it (the exchange's `runAdvance`). */
export interface RunAdvanceHolder {
  runAdvance?: { at: RunAdvance }
}

/**
 * `advanceRun` once per request: the first stage to ask reads (and advances) the run and keeps the
 * answer on the request, the stages after it get the same answer without a store read.
 */
export async function advanceRunFor(
  request: RunAdvanceHolder,
  store: Store,
  clientId: string,
  now: number,
  realNow: number,
): Promise<RunAdvance> {
  if (request.runAdvance) return request.runAdvance.at
  const at = await advanceRun(store, clientId, now, realNow)
  request.runAdvance = { at }
  return at
}

/**
 * True while the open step's incident has not been played yet (for a quiet step: while none of its
 * calls was answered): it comes before the rate limit and the bans a client earns, so that a client
 * hammering the API still meets every step's incident.
 */
export async function incidentAhead(
  store: Store,
  clientId: string,
  at: { run: CertificationRun; index: number },
): Promise<boolean> {
  // A quiet step's "incident" is an answer: its first call is answered whatever came before.
  const counter = PLAN[at.index]!.quiet ? 'calls' : 'played'
  const n = await store
    .scope(clientId)
    .get<number | string>(COUNTS, `${counter}:${at.run.id}:${at.index}`)
  return Number(n ?? 0) === 0
}

/** The step a call at sandbox time `now` falls in (opening its window if due); counts the call. */
export async function stepForCall(
  request: RunAdvanceHolder,
  store: Store,
  clientId: string,
  now: number,
  realNow: number,
): Promise<StepCall | undefined> {
  const at = await advanceRunFor(request, store, clientId, now, realNow)
  if (!at) return undefined
  const { run, index } = at
  const k = await store.scope(clientId).incr(COUNTS, `calls:${run.id}:${index}`, COUNT_TTL)
  return { run, index, step: PLAN[index]!, k, sinceFirstMs: now - run.opened[index]! }
}

/** Notes that a step played its incident on a call. */
export const markPlayed = (store: Store, clientId: string, call: StepCall): Promise<number> =>
  store.scope(clientId).incr(COUNTS, `played:${call.run.id}:${call.index}`, COUNT_TTL)

/** The step whose window is open at sandbox time `now`, if any (without opening one). */
export async function openStep(
  store: Store,
  clientId: string,
  now: number,
): Promise<{ run: CertificationRun; index: number; end: number } | undefined> {
  const run = await readRun(store, clientId)
  if (!run) return undefined
  const index = run.opened.length - 1
  const end = windowEnd(run, index)
  return end !== undefined && now < end ? { run, index, end } : undefined
}

/**
 * What a ban placed during a certification run may be: it ends with the open step's window (so that
 * the next step is played), and a held call is dropped after the pace's hold.
 */
export async function certificationBanPolicy(
  store: Store,
  clientId: string,
  now: number,
): Promise<{ untilMax: number; holdMs: number } | undefined> {
  const open = await openStep(store, clientId, now)
  if (!open) return undefined
  return { untilMax: open.end, holdMs: PACE_VALUES[open.run.pace].banHold }
}

/** True when tokens issued to the client now are single-use (the single-use step's window). */
export async function singleUseWindow(
  store: Store,
  clientId: string,
  now: number,
): Promise<boolean> {
  const open = await openStep(store, clientId, now)
  return open !== undefined && PLAN[open.index]!.singleUseTokens === true
}

/** One step as a run's progress shows it. */
export interface StepProgress {
  id: string
  title: string
  checks: readonly string[]
  /** The client called during its window. */
  reached: boolean
  /** The sandbox played its incident on at least one call. */
  played: boolean
  calls: number
  /** Its window on the client's sandbox clock, ISO 8601, once opened. */
  window?: { from: string; to: string }
}

/** The run's steps: which were reached and played so far. */
export async function stepProgress(
  store: Store,
  clientId: string,
  run: CertificationRun,
): Promise<StepProgress[]> {
  const scope = store.scope(clientId)
  const count = async (key: string): Promise<number> =>
    Number((await scope.get<number | string>(COUNTS, key)) ?? 0)
  const counts = await Promise.all(
    PLAN.map(async (_, i) => ({
      calls: await count(`calls:${run.id}:${i}`),
      played: await count(`played:${run.id}:${i}`),
    })),
  )
  return PLAN.map((step, i) => {
    const { calls } = counts[i]!
    const from = run.opened[i]
    return {
      id: step.id,
      title: step.title,
      checks: step.checks,
      reached: calls > 0,
      played: counts[i]!.played > 0 || (step.quiet === true && calls > 0),
      calls,
      ...(from !== undefined
        ? {
            window: {
              from: new Date(from).toISOString(),
              to: new Date(from + step.window[run.pace]).toISOString(),
            },
          }
        : {}),
    }
  })
}
