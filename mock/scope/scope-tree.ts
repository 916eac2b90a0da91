/**
 * Scoped fields of one operation as a tree of path segments: a node carries the scopes a token needs
 * (any one of them) to see the field it stands for. `*` stands for every item of an array or every
 * value of an object.
 */
export interface ScopeNode {
  /** Scopes of this field, any one enough; absent on nodes that only lead to scoped fields below. */
  scopes?: string[]
  children: Map<string, ScopeNode>
}

/** Scoped fields by operation id. An operation absent from the table has no scoped field. */
export type FieldScopeTable = ReadonlyMap<string, ScopeNode>

/** Segment standing for every item of an array or every value of an object. */
export const ANY = '*'

export const emptyNode = (): ScopeNode => ({ children: new Map() })

/** Splits a dotted path (`data.*.date_naissance`, `data.items[].nom`) into segments. */
export function splitPath(path: string): string[] {
  return path
    .replace(/\[\]/g, `.${ANY}`)
    .split('.')
    .filter((s) => s !== '')
}

/** True when a dotted path is well formed: non-empty segments of letters, digits, `_`, `-`, or `*`. */
export const isFieldPath = (path: string): boolean =>
  /^([\w-]+|\*)(\.([\w-]+|\*))*$/.test(path.replace(/\[\]/g, '.*'))

/** Ties a field to scopes; scopes given twice for one field add up. */
export function addScopedField(
  root: ScopeNode,
  segments: string[],
  scopes: readonly string[],
): void {
  let node = root
  for (const segment of segments) {
    let child = node.children.get(segment)
    if (!child) {
      child = emptyNode()
      node.children.set(segment, child)
    }
    node = child
  }
  node.scopes = [...new Set([...(node.scopes ?? []), ...scopes])].sort()
}

/** Every scoped field of a tree as `[dotted path, scopes]`, in a stable order. */
export function listScopedFields(root: ScopeNode, prefix = ''): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = []
  for (const [segment, child] of [...root.children].sort(([a], [b]) => a.localeCompare(b))) {
    const path = prefix ? `${prefix}.${segment}` : segment
    if (child.scopes) out.push([path, child.scopes])
    out.push(...listScopedFields(child, path))
  }
  return out
}
