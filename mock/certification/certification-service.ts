import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import type { Report } from '../report/build-report.js'
import { clientReport } from '../report/client-report.js'
import { signAttestation } from './attestation.js'
import { PACE_VALUES, PACES, PLAN, planLength, type Pace } from './plan.js'
import {
  readRun,
  saveNewRun,
  stepProgress,
  type CertificationRun,
  type DeclaredSoftware,
  type StepProgress,
} from './run-state.js'

export type { CertificationRun, DeclaredSoftware, StepProgress } from './run-state.js'
export type { Pace } from './plan.js'

/** What a certification run is started with. */
export interface CertificationRequest {
  pace?: Pace
  software?: DeclaredSoftware
}

/** A run and its progress, as the admin API, the console and `sandbox-twin run` show it. */
export interface CertificationStatus {
  client_id: string
  run_id: string
  started_at: string
  seed: number
  pace: Pace
  /** The waits the pace sets, seconds. */
  pace_values: Record<string, number>
  software?: DeclaredSoftware
  /** Shortest the run lasts on the client's sandbox clock, seconds. */
  min_duration: number
  /** `running` while steps are ahead; `over` once the last step's window has closed. */
  state: 'running' | 'over'
  steps: StepProgress[]
  report: { json: string; junit: string; html: string; attestation: string }
}

/** A refused certification start: the message says what to do. */
export class CertificationRefusedError extends SandboxConfigError {}

/** Reads `name@version` (or `name`) as declared software; `undefined` for blank input. */
export function parseSoftware(text: string | undefined): DeclaredSoftware | undefined {
  const value = text?.trim()
  if (!value) return undefined
  if (value.length > 200)
    throw new CertificationRefusedError(
      SANDBOX_ERRORS.BAD_OPTION,
      'software must be at most 200 characters: name@version',
    )
  const at = value.lastIndexOf('@')
  return at > 0 ? { name: value.slice(0, at), version: value.slice(at + 1) } : { name: value }
}

/** Checks a pace name. */
export function parsePace(text: string | undefined): Pace {
  if (text === undefined) return 'fast'
  if ((PACES as readonly string[]).includes(text)) return text as Pace
  throw new CertificationRefusedError(
    SANDBOX_ERRORS.BAD_OPTION,
    `pace must be ${PACES.join(' or ')}; got ${text.slice(0, 40)}`,
  )
}

/**
 * Starts a certification run for a client: disarms whatever was armed for it and records the run,
 * whose steps are played from the client's next call, each in its own window. Refused when the
 * sandbox's `delayFactor` is not 1: the pace sets every sandbox-side wait of a run, and a scaled
 * sandbox would judge the client against waits it was never given.
 */
export async function startCertification(
  ctx: SandboxContext,
  clientId: string,
  request: CertificationRequest = {},
): Promise<CertificationStatus> {
  if (ctx.options.delayFactor !== 1) {
    throw new CertificationRefusedError(
      SANDBOX_ERRORS.BAD_OPTION,
      `certification needs delayFactor 1 (this sandbox runs at ${ctx.options.delayFactor}): a run's waits are set by its pace; use pace "fast" for CI instead of --delay-factor`,
    )
  }
  await ctx.scenarios.disarm(clientId)
  await ctx.traffic.lift(clientId)
  const run = await saveNewRun(ctx.store, clientId, {
    startedAt: ctx.options.now(),
    seed: ctx.options.seed,
    pace: request.pace ?? 'fast',
    ...(request.software ? { software: request.software } : {}),
  })
  return statusOf(ctx, clientId, run)
}

/** The client's latest run and how far it got; `undefined` when it never started one. */
export async function certificationStatus(
  ctx: SandboxContext,
  clientId: string,
): Promise<CertificationStatus | undefined> {
  const run = await readRun(ctx.store, clientId)
  return run && statusOf(ctx, clientId, run)
}

/** The client's latest certification run, if any. */
export const readCertification = (
  ctx: SandboxContext,
  clientId: string,
): Promise<CertificationRun | undefined> => readRun(ctx.store, clientId)

async function statusOf(
  ctx: SandboxContext,
  clientId: string,
  run: CertificationRun,
): Promise<CertificationStatus> {
  const steps = await stepProgress(ctx.store, clientId, run)
  const lastOpened = run.opened.length - 1
  const now = await ctx.clock.now(clientId)
  const over =
    lastOpened === PLAN.length - 1 &&
    now >= run.opened[lastOpened]! + PLAN[lastOpened]!.window[run.pace]
  const query = `client=${encodeURIComponent(clientId)}`
  return {
    client_id: clientId,
    run_id: run.id,
    started_at: new Date(run.startedAt).toISOString(),
    seed: run.seed,
    pace: run.pace,
    pace_values: Object.fromEntries(
      Object.entries(PACE_VALUES[run.pace]).map(([k, ms]) => [k, ms / 1000]),
    ),
    ...(run.software ? { software: run.software } : {}),
    min_duration: planLength(run.pace) / 1000,
    state: over ? 'over' : 'running',
    steps,
    report: {
      json: `/__sandbox/report?${query}`,
      junit: `/__sandbox/report?${query}&format=junit`,
      html: `/__sandbox/report?${query}&format=html`,
      attestation: `/__sandbox/report?${query}&format=attestation`,
    },
  }
}

/**
 * The signed attestation of the client's latest certification run (a compact JWS, ES256, by the
 * sandbox's attestation key) with the report it states; `undefined` when the client has no run.
 */
export async function attestCertification(
  ctx: SandboxContext,
  clientId: string,
): Promise<{ jws: string; report: Report } | undefined> {
  const run = await readRun(ctx.store, clientId)
  if (!run) return undefined
  const report = await clientReport(ctx, clientId)
  return { jws: await signAttestation(ctx, clientId, run, report), report }
}
