import { armView } from '../admin/wire.js'
import type { SandboxContext } from '../context.js'
import type { Store } from '../store/store.js'

/** The certification scenario sequence (bundled `scenarios/certification.yaml`). */
export const CERTIFICATION_SCENARIO = 'certification'

/** A client's latest certification run, as kept in its scope of the store. */
export interface CertificationRun {
  /** Real time it started, ms: the report judges the journal from there. */
  startedAt: number
  /** The sandbox's seed: the same seed and the same client behaviour give the same verdict. */
  seed: number
}

const NS = 'certification'

/** The client's latest certification run, if any. */
export const readCertification = (
  store: Store,
  clientId: string,
): Promise<CertificationRun | undefined> => store.scope(clientId).get<CertificationRun>(NS, 'run')

/**
 * Starts a certification run for a client: disarms whatever was armed for it, arms the certification
 * sequence from its next call, and records the start so that the report judges this run only.
 */
export async function startCertification(
  ctx: SandboxContext,
  clientId: string,
): Promise<Record<string, unknown>> {
  ctx.scenarios.get(CERTIFICATION_SCENARIO) // throws UnknownScenarioError before anything changes
  await ctx.scenarios.disarm(clientId)
  const arm = await ctx.scenarios.arm(clientId, CERTIFICATION_SCENARIO)
  const run: CertificationRun = { startedAt: ctx.options.now(), seed: ctx.options.seed }
  await ctx.store.scope(clientId).set(NS, 'run', run)
  const query = `client=${encodeURIComponent(clientId)}`
  return {
    client_id: clientId,
    scenario: CERTIFICATION_SCENARIO,
    started_at: new Date(run.startedAt).toISOString(),
    seed: run.seed,
    arm: armView(clientId, arm),
    report: {
      json: `/__sandbox/report?${query}`,
      junit: `/__sandbox/report?${query}&format=junit`,
      html: `/__sandbox/report?${query}&format=html`,
    },
  }
}
