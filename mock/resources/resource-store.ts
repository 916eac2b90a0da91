import { createHash } from 'node:crypto'
import type { StoreScope } from '../store/store.js'
import { reachedStep, type TimelineStep } from './processing.js'
import type { ResourceOperation } from './resource-model.js'

/** A resource as kept in its client's scope of the store. */
export interface StoredResource {
  id: string
  /** Concrete collection path (`/edi/v1/declarations`), parent identifiers filled in. */
  collection: string
  /** The representation built at creation and after each change, status aside. */
  representation: Record<string, unknown>
  /** The last request body, exactly as sent. */
  sent?: unknown
  /** Sandbox times, ms. */
  createdAt: number
  updatedAt: number
  /** 1 at creation, +1 at each replace, patch or transition. */
  version: number
  /** Statuses planned at creation, with the sandbox time each is reached. */
  timeline?: TimelineStep[]
  /** Fields that statuses set (absent until their status is reached). */
  statusFields?: string[]
}

const NS = 'resource'
const ns = (collection: string): string => `${NS}:${collection}`
/** Resources and their history outlive any cache: ten years. */
const FOREVER_MS = 10 * 365 * 86_400_000

export const resourceRepo = (scope: StoreScope) => ({
  get: (collection: string, id: string) => scope.get<StoredResource>(ns(collection), id),
  put: (r: StoredResource) => scope.set(ns(r.collection), r.id, r),
  /** Stores a new resource; false when the id is taken. */
  add: (r: StoredResource) => scope.setIfAbsent(ns(r.collection), r.id, r),
  delete: (collection: string, id: string) => scope.delete(ns(collection), id),
  /** Every resource of a collection, oldest first. */
  list: async (collection: string): Promise<StoredResource[]> =>
    (await scope.entries<StoredResource>(ns(collection)))
      .map(([, r]) => r)
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  /** The next number of a collection's sequence (integer ids, id derivation). */
  next: (collection: string) => scope.incr('resource-seq', collection, FOREVER_MS),
})

/** The status a resource has reached at sandbox time `now`, and when it reached it. */
export function currentStep(r: StoredResource, now: number): TimelineStep | undefined {
  return r.timeline ? r.timeline[reachedStep(r.timeline, now)] : undefined
}

/**
 * The resource as a client sees it at sandbox time `now`: its representation with the status its
 * processing has reached, the date of that status, and the fields reached statuses set.
 */
export function render(
  r: StoredResource,
  model: ResourceOperation,
  now: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r.representation }
  if (!r.timeline || !model.statusField) return out
  for (const f of r.statusFields ?? []) delete out[f]
  const reached = reachedStep(r.timeline, now)
  for (let i = 0; i <= reached; i++) Object.assign(out, structuredClone(r.timeline[i]!.set ?? {}))
  const step = r.timeline[reached]!
  out[model.statusField] = step.status
  if (model.statusDateField) out[model.statusDateField] = new Date(step.at).toISOString()
  return out
}

/** A strong entity tag of a representation. */
export const etagOf = (representation: unknown): string =>
  `"${createHash('sha256').update(JSON.stringify(representation)).digest('base64url').slice(0, 27)}"`

/** True when an `If-Match` / `If-None-Match` list names the tag (or is `*`). */
export function tagMatches(header: string, tag: string): boolean {
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === tag)
}
