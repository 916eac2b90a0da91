import { unitDraw } from './rules.js'

/** What production writes in place of a value a provider failed to give (API Entreprise, 206). */
export const UNAVAILABLE = 'Donnée indisponible'

type Path = string[]

function leaves(value: unknown, path: Path, out: Path[]): void {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out)
  } else if (value !== null) {
    out.push(path)
  }
}

/** A dotted pattern (`data.adresse.*`) covers a leaf when each segment matches, `*` matching any. */
function covers(pattern: string[], leaf: Path): boolean {
  return pattern.length <= leaf.length && pattern.every((seg, i) => seg === '*' || seg === leaf[i])
}

function setAt(root: unknown, path: Path, value: unknown): void {
  let node = root as Record<string, unknown>
  for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>
  node[path[path.length - 1]!] = value
}

/** A small stable hash of a string, to vary random picks by resource. */
export function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/**
 * Turns a 200 body into production's 206 partial body: the leaves under `fields` (dotted paths, `*`
 * for any key or index), plus `random` more leaves drawn from the seed and `salt`, become
 * "Donnée indisponible". Random picks favour `data` when the body has one (API Entreprise's shape)
 * and never take a leaf whose value is in `keep` (the identifiers the request asked for). Returns the new body and the dotted paths blanked.
 */
export function degradeBody(
  body: unknown,
  fields: string[],
  random: number,
  seed: number,
  salt: number,
  keep: readonly string[] = [],
): { body: unknown; paths: string[] } {
  const copy = structuredClone(body)
  const all: Path[] = []
  leaves(copy, [], all)
  const patterns = fields.map((f) => f.split('.'))
  const chosen = all.filter((leaf) => patterns.some((p) => covers(p, leaf)))
  const inData = all.filter((l) => l[0] === 'data')
  // The identifiers asked for are never what a provider failed to give.
  const valueAt = (leaf: Path): unknown =>
    leaf.reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], copy)
  const pool = (inData.length ? inData : all).filter(
    (l) => !chosen.includes(l) && !keep.includes(String(valueAt(l))),
  )
  const drawn = pool
    .map((leaf, i) => ({ leaf, u: unitDraw(seed, salt, i) }))
    .sort((a, b) => a.u - b.u)
    .slice(0, random)
    .map((d) => d.leaf)
  for (const leaf of [...chosen, ...drawn]) setAt(copy, leaf, UNAVAILABLE)
  return { body: copy, paths: [...chosen, ...drawn].map((p) => p.join('.')) }
}
