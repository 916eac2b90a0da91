import { randomBytes } from 'node:crypto'
import type { Store } from '../store/store.js'

/** A scenario armed for a client (`POST /__sandbox/scenarios`). Times are sandbox-clock ms. */
export interface Arm {
  /** Unique per arming: re-arming starts the count afresh. */
  id: string
  scenario: string
  /** It disarms itself after this many matching calls. */
  calls?: number
  /** It disarms itself at this sandbox time. */
  until?: number
  armedAt: number
}

const NS = 'scenarios'
const COUNTS = 'scenario-calls'
/** Counters outlive any sensible run; they go with the client, or when disarmed. */
const COUNT_TTL = 30 * 86_400_000

/** Armed scenarios and call counters of each client, in its scope of the store. */
export interface ArmBook {
  list(clientId: string): Promise<Arm[]>
  /** Arms a scenario; an earlier arming of the same scenario is replaced. */
  arm(
    clientId: string,
    scenario: string,
    at: number,
    limits: { calls?: number; until?: number },
  ): Promise<Arm>
  /** Disarms one scenario, or all of them (and forgets every counter). Returns how many were armed. */
  disarm(clientId: string, scenario?: string): Promise<number>
  /** Counts one more matching call under a trigger key (`arm:<id>`, `prefer:<name>`...); returns its number. */
  count(clientId: string, key: string): Promise<number>
  /** True when the store can tell at once that no client has a scenario armed. */
  noneArmed(): boolean
}

export function createArmBook(store: Store): ArmBook {
  const list = async (clientId: string): Promise<Arm[]> =>
    (await store.scope(clientId).get<Arm[]>(NS, 'armed')) ?? []
  const save = async (clientId: string, arms: Arm[]): Promise<void> => {
    const scope = store.scope(clientId)
    if (arms.length) await scope.set(NS, 'armed', arms)
    else await scope.delete(NS, 'armed')
  }
  return {
    list,
    async arm(clientId, scenario, at, limits) {
      const arm: Arm = {
        id: `${scenario}.${randomBytes(4).toString('hex')}`,
        scenario,
        armedAt: at,
        ...limits,
      }
      await save(clientId, [...(await list(clientId)).filter((a) => a.scenario !== scenario), arm])
      return arm
    },
    async disarm(clientId, scenario) {
      const arms = await list(clientId)
      const kept = scenario === undefined ? [] : arms.filter((a) => a.scenario !== scenario)
      await save(clientId, kept)
      const scope = store.scope(clientId)
      for (const [key] of await scope.entries(COUNTS)) {
        if (
          scenario === undefined ||
          key.endsWith(`:${scenario}`) ||
          key.startsWith(`arm:${scenario}.`)
        )
          await scope.delete(COUNTS, key)
      }
      return arms.length - kept.length
    },
    count: (clientId, key) => store.scope(clientId).incr(COUNTS, key, COUNT_TTL),
    noneArmed: () => store.holdsAny?.(NS) === false,
  }
}
