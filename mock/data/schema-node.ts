/**
 * A JSON Schema node read once into the facts a generator needs (types, nullability, bounds,
 * children), memoised by schema identity. Handles both dialects: OpenAPI 3.0 (`nullable`, boolean
 * `exclusiveMinimum`, `example`) and 3.1 / JSON Schema 2020-12 (`type: [..., 'null']`, numeric
 * `exclusiveMinimum`, `examples`, `prefixItems`), and merges `allOf`.
 */
import type { JsonSchema } from '../contract/types.js'
import { mergeAllOf, mergeBranch } from './merge-schemas.js'

type Obj = Record<string, unknown>

export interface SchemaNode {
  schema: JsonSchema
  /** Non-null JSON types allowed, in the schema's order (`'integer'` kept apart from `'number'`). */
  types: string[]
  nullable: boolean
  enum?: unknown[]
  hasConst: boolean
  const?: unknown
  format?: string
  pattern?: RegExp
  minLength?: number
  maxLength?: number
  /** Inclusive lower bound, or exclusive when `exclusiveMin` is set. */
  minimum?: number
  maximum?: number
  exclusiveMin: boolean
  exclusiveMax: boolean
  multipleOf?: number
  example?: unknown
  properties: [string, JsonSchema][]
  /** Property names, in order; one array per node (fields use it to look at their siblings). */
  names: string[]
  required: Set<string>
  /** Required names that `properties` does not describe. */
  unlisted: string[]
  /** `additionalProperties` (or `unevaluatedProperties`) when it is a schema or a boolean. */
  additional?: JsonSchema | boolean
  minProperties?: number
  items?: JsonSchema
  prefixItems?: JsonSchema[]
  /** `items: false` (2020-12) or `additionalItems: false`: no item past `prefixItems`. */
  closedItems: boolean
  /** `contains`: at least `minContains` (default 1) items must match it. */
  contains?: JsonSchema
  minContains: number
  minItems?: number
  maxItems?: number
  uniqueItems: boolean
  /** `oneOf`/`anyOf` branches, each already merged with the keywords beside it. */
  branches?: JsonSchema[]
  /** A `$ref` the loader left in place (a circular schema): any value is accepted. */
  circular: boolean
}

const nodes = new WeakMap<object, SchemaNode>()
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined

/** The node of a schema, computed once per schema object. */
/** What a schema that is not an object (`true`, a stray string) allows: anything. */
const ANY_SCHEMA: JsonSchema = {}

export function nodeOf(given: JsonSchema): SchemaNode {
  // A contract may hold a non-schema where a schema belongs: it constrains nothing, never a crash.
  const schema = isObj(given) ? given : ANY_SCHEMA
  let node = nodes.get(schema)
  if (!node) {
    node = readNode(Array.isArray(schema.allOf) ? mergeAllOf(schema) : schema)
    nodes.set(schema, node)
  }
  return node
}

function readNode(s: JsonSchema): SchemaNode {
  const rawTypes = Array.isArray(s.type)
    ? (s.type as unknown[])
    : s.type === undefined
      ? []
      : [s.type]
  const enumValues = Array.isArray(s.enum) ? (s.enum as unknown[]) : undefined
  let format = typeof s.format === 'string' ? s.format : undefined
  const types: string[] = []
  for (const t of rawTypes) {
    // Contracts in the wild write `type: date`; read it as the string format it means.
    if (t === 'date' || t === 'date-time') {
      format ??= t
      types.push('string')
    } else if (typeof t === 'string' && t !== 'null' && !types.includes(t)) types.push(t)
  }
  if (types.length === 0 && rawTypes.length > 0 && rawTypes.every((t) => t === 'null'))
    types.push('null')
  if (types.length === 0) types.push(...inferTypes(s, enumValues))
  const example =
    s.example !== undefined ? s.example : Array.isArray(s.examples) ? s.examples[0] : undefined
  const xMin = s.exclusiveMinimum
  const xMax = s.exclusiveMaximum
  const branches = (
    Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined
  ) as JsonSchema[] | undefined
  return {
    schema: s,
    types,
    nullable:
      s.nullable === true ||
      rawTypes.includes('null') ||
      (enumValues?.includes(null) ?? false) ||
      s.const === null,
    ...(enumValues ? { enum: enumValues } : {}),
    hasConst: 'const' in s,
    const: s.const,
    ...(format ? { format } : {}),
    ...(typeof s.pattern === 'string' ? { pattern: compilePattern(s.pattern) } : {}),
    minLength: num(s.minLength),
    maxLength: num(s.maxLength),
    minimum: typeof xMin === 'number' ? xMin : num(s.minimum),
    maximum: typeof xMax === 'number' ? xMax : num(s.maximum),
    exclusiveMin: typeof xMin === 'number' || xMin === true,
    exclusiveMax: typeof xMax === 'number' || xMax === true,
    multipleOf: num(s.multipleOf),
    example,
    properties: isObj(s.properties) ? (Object.entries(s.properties) as [string, JsonSchema][]) : [],
    names: isObj(s.properties) ? Object.keys(s.properties) : [],
    required: new Set(Array.isArray(s.required) ? (s.required as string[]) : []),
    unlisted: Array.isArray(s.required)
      ? (s.required as string[]).filter((name) => !isObj(s.properties) || !(name in s.properties))
      : [],
    additional: readAdditional(s),
    minProperties: num(s.minProperties),
    ...(isObj(s.items) ? { items: s.items } : {}),
    ...(Array.isArray(s.prefixItems)
      ? { prefixItems: s.prefixItems as JsonSchema[] }
      : Array.isArray(s.items)
        ? { prefixItems: s.items as JsonSchema[] }
        : {}),
    closedItems:
      (s.items === false && Array.isArray(s.prefixItems)) ||
      (s.additionalItems === false && Array.isArray(s.items)),
    ...(isObj(s.contains) ? { contains: s.contains } : {}),
    minContains: num(s.minContains) ?? 1,
    minItems: num(s.minItems),
    maxItems: num(s.maxItems),
    uniqueItems: s.uniqueItems === true,
    ...(branches?.length ? { branches: branches.map((b) => mergeBranch(s, b)) } : {}),
    circular: typeof s.$ref === 'string',
  }
}

function readAdditional(s: JsonSchema): JsonSchema | boolean | undefined {
  const a = s.additionalProperties ?? s.unevaluatedProperties
  return typeof a === 'boolean' || isObj(a) ? (a as JsonSchema | boolean) : undefined
}

function inferTypes(s: JsonSchema, enumValues: unknown[] | undefined): string[] {
  if (isObj(s.properties) || s.additionalProperties !== undefined || Array.isArray(s.required))
    return ['object']
  if (s.items !== undefined || s.prefixItems !== undefined || s.minItems !== undefined)
    return ['array']
  if (s.const === null || (enumValues && enumValues.every((v) => v === null))) return ['null']
  const sample = enumValues?.find((v) => v !== null) ?? ('const' in s ? s.const : undefined)
  if (sample !== undefined && sample !== null) {
    return [Array.isArray(sample) ? 'array' : typeof sample === 'object' ? 'object' : typeof sample]
  }
  if (
    s.format !== undefined ||
    s.pattern !== undefined ||
    s.minLength !== undefined ||
    s.maxLength !== undefined
  ) {
    return ['string']
  }
  if (s.minimum !== undefined || s.maximum !== undefined || s.multipleOf !== undefined)
    return ['number']
  return []
}

/** JSON Schema patterns are ECMA-262 with the `u` flag (as ajv compiles them). */
function compilePattern(source: string): RegExp {
  try {
    return new RegExp(source, 'u')
  } catch {
    return new RegExp(source)
  }
}
