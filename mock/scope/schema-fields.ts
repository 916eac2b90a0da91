import type { JsonSchema, Operation } from '../contract/types.js'
import { ANY } from './scope-tree.js'

/** Segment of an array's items in a field path (written `[]`, as in `data.mandataires[].nom`). */
export const ITEM = '[]'

/** Joins segments into a dotted path, array items written `name[]`. */
export const formatPath = (segments: readonly string[]): string =>
  segments.reduce((path, s) => (s === ITEM ? `${path}${ITEM}` : path ? `${path}.${s}` : s), '')

/** What a schema walk reports: a field's path, its schema, and whether it has no sub-fields. */
export type FieldVisitor = (segments: string[], schema: JsonSchema, leaf: boolean) => void

// Deep enough for any real response body; a recursive schema stops here instead of looping.
const MAX_DEPTH = 16

/**
 * Walks the fields of a dereferenced JSON Schema: properties by name, array items as `[]`, map values
 * (`additionalProperties`) as `*`, `allOf` / `anyOf` / `oneOf` branches at the same level. A schema
 * met again on its own path (a recursive `$ref`) is not walked twice.
 */
export function walkSchemaFields(
  schema: unknown,
  visit: FieldVisitor,
  segments: string[] = [],
  path = new Set<object>(),
): void {
  if (
    typeof schema !== 'object' ||
    schema === null ||
    path.has(schema) ||
    segments.length > MAX_DEPTH
  )
    return
  const s = schema as JsonSchema
  path.add(s)
  let branches = false
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[key]
    if (!Array.isArray(list)) continue
    branches = true
    for (const branch of list) walkSchemaFields(branch, visit, segments, path)
  }
  const properties = s.properties as Record<string, unknown> | undefined
  const items = s.items
  const map = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined
  const leaf = !branches && !properties && !items && !map
  if (segments.length > 0) visit(segments, s, leaf)
  for (const [name, sub] of Object.entries(properties ?? {}))
    walkSchemaFields(sub, visit, [...segments, name], path)
  if (items) walkSchemaFields(items, visit, [...segments, ITEM], path)
  if (map) walkSchemaFields(map, visit, [...segments, ANY], path)
  path.delete(s)
}

/** Schemas of an operation's success (2XX) answers. */
export const successSchemas = (op: Operation): unknown[] =>
  Object.entries(op.responses)
    .filter(([status, r]) => /^2(\d\d|XX)$/i.test(status) && r.schema)
    .map(([, r]) => r.schema)

/** The fields an operation's success answers declare, as dotted paths of their leaves, sorted. */
export function declaredFields(op: Operation): string[] {
  const out = new Set<string>()
  for (const schema of successSchemas(op)) {
    walkSchemaFields(schema, (segments, _s, leaf) => {
      if (leaf) out.add(formatPath(segments))
    })
  }
  return [...out].sort()
}
