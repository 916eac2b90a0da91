import { randomBytes } from 'node:crypto'
import type { Store } from '../store/store.js'

/** A planned interruption of the API, announced in advance (CNIL §5.4). Times are real ms. */
export interface Interruption {
  id: string
  from: number
  to: number
  /** Shown on the status page and sent in the 503 answers during the interruption. */
  message: string
  createdAt: number
}

const NS = 'interruptions'
/** How long a replica trusts its copy of the schedule before reading the store again. */
const REFRESH_MS = 5_000
/** Finished interruptions stay listed this long, then are dropped. */
const KEEP_FINISHED_MS = 7 * 86_400_000
export const MAX_MESSAGE = 500

/** What is wrong with an interruption's fields, or `undefined`. */
export function checkInterruption(
  from: number,
  to: number,
  message: string,
  now: number,
): string | undefined {
  if (!Number.isFinite(from) || !Number.isFinite(to))
    return 'from and to must be ISO 8601 date-times, e.g. 2030-01-31T22:00:00Z'
  if (to <= from) return 'to must be after from'
  if (to <= now) return 'to is in the past: an interruption is announced before it ends'
  if (to - from > 30 * 86_400_000) return 'an interruption lasts at most 30 days'
  if (!message.trim() || message.length > MAX_MESSAGE)
    return `message must be 1 to ${MAX_MESSAGE} characters`
  return undefined
}

/** The schedule of planned interruptions, shared by replicas through the store. */
export interface InterruptionService {
  list(): Promise<Interruption[]>
  create(input: { from: number; to: number; message: string }): Promise<Interruption>
  remove(id: string): Promise<boolean>
  /** The interruption running at `now`, from the cached schedule (no store call on the request path). */
  current(now: number): Interruption | undefined
}

export function createInterruptions(store: Store, realNow: () => number): InterruptionService {
  const scope = store.global
  let cached: Interruption[] = []
  let loadedAt = -Infinity
  let loading: Promise<void> | undefined
  const load = async (): Promise<Interruption[]> => {
    const now = realNow()
    const all = (await scope.entries<Interruption>(NS)).map(([, i]) => i)
    for (const i of all) if (i.to < now - KEEP_FINISHED_MS) await scope.delete(NS, i.id)
    cached = all.filter((i) => i.to >= now - KEEP_FINISHED_MS).sort((a, b) => a.from - b.from)
    loadedAt = now
    return cached
  }
  const refresh = (): void => {
    loading ??= load()
      .catch(() => undefined)
      .then(() => {
        loading = undefined
      })
  }
  return {
    list: load,
    create: async ({ from, to, message }) => {
      const i: Interruption = {
        id: randomBytes(6).toString('hex'),
        from,
        to,
        message: message.trim(),
        createdAt: realNow(),
      }
      await scope.set(NS, i.id, i)
      await load()
      return i
    },
    remove: async (id) => {
      const existed = await scope.delete(NS, id)
      await load()
      return existed
    },
    current: (now) => {
      // Another replica's change shows within REFRESH_MS; this one's at once (create/remove reload).
      if (now - loadedAt > REFRESH_MS) refresh()
      for (const i of cached) if (i.from <= now && now < i.to) return i
      return undefined
    },
  }
}
