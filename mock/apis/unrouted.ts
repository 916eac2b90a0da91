import type { Reply } from '../http/exchange.js'
import type { Operation } from '../contract/types.js'
import { problem, SANDBOX_ERRORS } from '../errors.js'

/** Where an API's paths begin: its mount prefix, else the first segment of its contract's paths. */
export interface ApiTerritory {
  name: string
  prefix: string
  /** `/douane`, or `/v3`, `/v4`... for an API mounted without a prefix; `''` when a path begins with a parameter. */
  roots: string[]
}

/** The territory of an API from its operations (already mounted under `prefix`). */
export function territoryOf(
  name: string,
  prefix: string,
  operations: readonly Operation[],
): ApiTerritory {
  if (prefix) return { name, prefix, roots: [prefix] }
  const roots = new Set<string>()
  for (const op of operations) {
    const first = op.path.split('/')[1] ?? ''
    roots.add(first === '' || first.includes('{') ? '' : `/${first}`)
  }
  return { name, prefix, roots: [...roots].sort() }
}

const under = (path: string, root: string): boolean =>
  root === '' || path === root || path.startsWith(`${root}/`)

/**
 * The API a path that no route matched belongs to: the one whose prefix (or, mounted without one,
 * whose first path segment) is the longest that begins the path, when no other API shares it.
 * `undefined` when the path belongs to none, or to several alike.
 */
export function ownerOf(
  territories: readonly ApiTerritory[],
  path: string,
): ApiTerritory | undefined {
  let best: ApiTerritory | undefined
  let bestLength = -1
  let tied = false
  for (const t of territories) {
    const length = Math.max(-1, ...t.roots.filter((r) => under(path, r)).map((r) => r.length))
    if (length < 0 || length < bestLength) continue
    tied = length === bestLength
    best = t
    bestLength = length
  }
  return tied ? undefined : best
}

/**
 * The sandbox's own 404 for a path under none of its APIs: an RFC 9457 problem listing every API with
 * the paths it is mounted at, since no contract's error shape is the right one.
 */
export function unroutedReply(
  territories: readonly ApiTerritory[],
  method: string,
  path: string,
): Reply {
  const where = territories
    .map((t) => `${t.name} at ${t.roots.map((r) => r || '/').join(', ')}`)
    .join('; ')
  return {
    status: 404,
    contentType: 'application/problem+json',
    code: SANDBOX_ERRORS.NOT_FOUND,
    body: problem(
      404,
      SANDBOX_ERRORS.NOT_FOUND,
      `No API of this sandbox serves ${method} ${path}. The APIs it serves: ${where}.`,
      { apis: territories.map((t) => ({ name: t.name, prefix: t.prefix, paths: t.roots })) },
    ),
  }
}
