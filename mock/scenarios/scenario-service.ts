import { basename } from 'node:path'
import type { SandboxClock } from '../clock/clock.js'
import type { Store } from '../store/store.js'
import { createArmBook, type Arm, type ArmBook } from './arming.js'
import { createScenarioMemory, type ScenarioMemory } from './remembered.js'
import { scenarioLength } from './rules.js'
import type { Scenario } from './types.js'

/** A scenario as listed by `GET /__sandbox/scenarios`. */
export interface ScenarioSummary {
  name: string
  description: string
  good_client?: string
  /** `sequence` plays other scenarios step by step. */
  kind: 'rules' | 'sequence'
  /** Calls a sequence lasts (`null`: until disarmed). */
  calls: number | null
  steps?: Array<{
    calls: number | null
    scenario?: string
    effects: string[]
    description?: string
  }>
  effects: string[]
  file: string
}

/** A scenario name that no loaded file defines; `known` lists those that exist. */
export class UnknownScenarioError extends Error {
  override readonly name = 'UnknownScenarioError'
  constructor(
    readonly scenario: string,
    readonly known: string[],
  ) {
    super(`unknown scenario "${scenario}"; known scenarios: ${known.join(', ')}`)
  }
}

/** The scenario engine as a service on the context. */
export interface ScenarioService {
  /** Every loaded scenario, by name (bundled ones and `--scenarios`). */
  readonly catalogue: ReadonlyMap<string, Scenario>
  readonly arms: ArmBook
  readonly memory: ScenarioMemory
  /** The scenario of that name, or throws {@link UnknownScenarioError}. */
  get(name: string): Scenario
  describe(): ScenarioSummary[]
  /**
   * Arms a scenario for a client from its next call: for `calls` matching calls, until sandbox time
   * `until` (ms), or until disarmed. Re-arming restarts its count. Issue 5's certification run arms
   * `certification` this way.
   */
  arm(clientId: string, name: string, limits?: { calls?: number; until?: number }): Promise<Arm>
  /** Disarms one scenario, or all, and forgets their counters. Returns how many were armed. */
  disarm(clientId: string, name?: string): Promise<number>
  armed(clientId: string): Promise<Arm[]>
}

const effectsOf = (rules: Scenario['steps'][number]['rules']): string[] => [
  ...new Set(rules.map((r) => r.effect.type)),
]

export function createScenarioService(
  catalogue: Map<string, Scenario>,
  store: Store,
  clock: SandboxClock,
): ScenarioService {
  const arms = createArmBook(store)
  const get = (name: string): Scenario => {
    const s = catalogue.get(name)
    if (!s) throw new UnknownScenarioError(name, [...catalogue.keys()].sort())
    return s
  }
  return {
    catalogue,
    arms,
    memory: createScenarioMemory(store),
    get,
    describe: () =>
      [...catalogue.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((s) => ({
          name: s.name,
          description: s.description,
          ...(s.goodClient ? { good_client: s.goodClient } : {}),
          kind: s.sequence ? 'sequence' : 'rules',
          calls: scenarioLength(s) ?? null,
          ...(s.sequence
            ? {
                steps: s.steps.map((st) => ({
                  calls: st.calls ?? null,
                  ...(st.scenario ? { scenario: st.scenario } : {}),
                  effects: effectsOf(st.rules),
                  ...(st.description ? { description: st.description } : {}),
                })),
              }
            : {}),
          effects: [...new Set(s.steps.flatMap((st) => effectsOf(st.rules)))],
          // The file's name, never its place on the server: the catalogue is open to anyone.
          file: basename(s.file),
        })),
    async arm(clientId, name, limits = {}) {
      get(name)
      return arms.arm(clientId, name, await clock.now(clientId), limits)
    },
    disarm: (clientId, name) => {
      if (name !== undefined) get(name)
      return arms.disarm(clientId, name)
    },
    armed: (clientId) => arms.list(clientId),
  }
}
