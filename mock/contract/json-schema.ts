import { Ajv, type ValidateFunction } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { JsonSchema } from './types.js'

// ajv-formats is CommonJS; its default export arrives wrapped under Node's ESM interop.
type AddFormats = (ajv: Ajv) => Ajv
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats)

/** An ajv instance for a contract's dialect: draft-07 + `nullable` for 3.0, 2020-12 for 3.1. */
export function createAjv(openapi: string, options: { coerceTypes?: boolean | 'array' } = {}): Ajv {
  const common = { strict: false, allErrors: false, logger: false as const, ...options }
  const ajv = openapi.startsWith('3.1') ? new Ajv2020(common) : new Ajv(common)
  addFormats(ajv as Ajv)
  // OpenAPI formats that JSON Schema does not define: accept any value, as the OpenAPI spec allows.
  for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password'])
    ajv.addFormat(f, true)
  return ajv as Ajv
}

/**
 * Rewrites OpenAPI 3.0 schema quirks into what ajv understands: boolean `exclusiveMinimum`/`Maximum`
 * (draft-04 style) become numbers, and a left-over circular `$ref` becomes "any value".
 */
export function toAjvSchema(schema: unknown, seen = new WeakMap<object, unknown>()): unknown {
  if (Array.isArray(schema)) return schema.map((s) => toAjvSchema(s, seen))
  if (!schema || typeof schema !== 'object') return schema
  const cached = seen.get(schema)
  if (cached) return cached
  const src = schema as JsonSchema
  if (typeof src.$ref === 'string') return {}
  const out: JsonSchema = {}
  seen.set(schema, out)
  for (const [key, value] of Object.entries(src)) {
    if (key === 'example' || key === 'examples' || key.startsWith('x-')) continue
    if (key === 'type') {
      const type = normaliseType(value)
      if (type !== undefined) out.type = type
      continue
    }
    if (key === 'exclusiveMinimum' && typeof value === 'boolean') {
      if (value && typeof src.minimum === 'number') out.exclusiveMinimum = src.minimum
      continue
    }
    if (key === 'exclusiveMaximum' && typeof value === 'boolean') {
      if (value && typeof src.maximum === 'number') out.exclusiveMaximum = src.maximum
      continue
    }
    if (
      (key === 'minimum' && src.exclusiveMinimum === true) ||
      (key === 'maximum' && src.exclusiveMaximum === true)
    )
      continue
    // `properties`, `patternProperties` hold names, not keywords: keep their keys, convert their values.
    if (
      (key === 'properties' ||
        key === 'patternProperties' ||
        key === 'definitions' ||
        key === '$defs') &&
      value &&
      typeof value === 'object'
    ) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, toAjvSchema(v, seen)]),
      )
      continue
    }
    out[key] = toAjvSchema(value, seen)
  }
  return out
}

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'])

/**
 * Real contracts carry types JSON Schema lacks (API Entreprise writes `type: date`): a date-like name
 * means a string, any other unknown name constrains nothing rather than breaking the whole schema.
 */
function normaliseType(value: unknown): unknown {
  const one = (t: unknown): string | undefined => {
    if (typeof t !== 'string') return undefined
    if (JSON_TYPES.has(t)) return t
    return /^date|time/i.test(t) ? 'string' : undefined
  }
  if (Array.isArray(value)) {
    const types = value.map(one)
    return types.every((t) => t !== undefined) ? types : undefined
  }
  return one(value)
}

/** Compiles a contract schema once and memoises the validator by schema identity. */
export function createSchemaCompiler(ajv: Ajv): (schema: JsonSchema) => ValidateFunction {
  const cache = new WeakMap<object, ValidateFunction>()
  return (schema) => {
    let fn = cache.get(schema)
    if (!fn) {
      fn = ajv.compile(toAjvSchema(schema) as object)
      cache.set(schema, fn)
    }
    return fn
  }
}
