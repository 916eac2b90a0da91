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

/** True when a schema lets a value be `null` (OpenAPI 3.0 `nullable`, 3.1 `type: [..., 'null']`, a null branch). */
export function allowsNull(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false
  const s = schema as JsonSchema
  // OpenAPI 3.0.3: `nullable` lets null through an `enum` only when the enum lists null.
  if (Array.isArray(s.enum)) return s.enum.includes(null)
  if (s.nullable === true) return true
  if (s.type === 'null' || (Array.isArray(s.type) && s.type.includes('null'))) return true
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = s[key]
    if (Array.isArray(list) && list.some(allowsNull)) return true
  }
  return Array.isArray(s.allOf) && s.allOf.length > 0 && s.allOf.every(allowsNull)
}

/**
 * The fields an operation's success answers require (listed in their parent's `required`), as dotted
 * paths, each with the schema it is required with (the first one met).
 */
export function requiredFields(op: Operation): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>()
  const add = (segments: string[], parent: JsonSchema): void => {
    const required = parent.required
    const properties = parent.properties as Record<string, unknown> | undefined
    if (!Array.isArray(required) || !properties) return
    for (const name of required) {
      const sub = typeof name === 'string' ? properties[name] : undefined
      if (typeof sub !== 'object' || sub === null) continue
      const path = formatPath([...segments, name as string])
      if (!out.has(path)) out.set(path, sub as JsonSchema)
    }
  }
  for (const schema of successSchemas(op)) {
    if (typeof schema === 'object' && schema !== null) add([], schema as JsonSchema)
    walkSchemaFields(schema, (segments, s) => add(segments, s))
  }
  return out
}

/**
 * The value a withheld field the schema requires is left with, so that the answer stays valid:
 * `null` where allowed; an object whose required fields are blanked in turn; an empty array where no
 * `minItems` forbids it. `undefined` when no blank value fits (the field is then removed).
 */
export function blankValue(schema: JsonSchema, depth = 0): unknown {
  if (allowsNull(schema)) return null
  if (depth > 8) return undefined
  const properties = schema.properties as Record<string, unknown> | undefined
  if (properties && (schema.type === 'object' || schema.type === undefined)) {
    const out: Record<string, unknown> = {}
    for (const name of Array.isArray(schema.required) ? schema.required : []) {
      const sub = properties[name as string]
      if (typeof sub !== 'object' || sub === null) return undefined
      const v = blankValue(sub as JsonSchema, depth + 1)
      if (v === undefined) return undefined
      out[name as string] = v
    }
    return out
  }
  if (schema.type === 'array' && !(Number(schema.minItems) > 0)) return []
  return undefined
}

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
