/** Shared test helpers for the data generator: ajv set up the way the tests validate, operations by hand. */
import { Ajv, type ValidateFunction } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { JsonSchema, Operation } from '../../mock/contract/types.js'

type AddFormats = (ajv: Ajv) => Ajv
// ajv-formats is CommonJS: its default export arrives wrapped under Node's ESM interop.
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats)

/**
 * A validator per dialect. OpenAPI 3.0: ajv's draft-07 class, whose built-in `nullable` keyword
 * implements 3.0's `nullable: true` (it adds `null` to `type`); an `enum` beside it that does not
 * list null gets it added, as production answers null there (a company's `sexe`) and client
 * generators type it so.
 * 3.1: ajv's 2020-12 class. Formats from ajv-formats ("full" mode); `boolean`, a format no standard
 * defines that the real contract uses, is declared as "any string", as non-strict ajv would ignore it.
 */
export function createValidator(
  dialect: '3.0' | '3.1' = '3.0',
): (schema: JsonSchema) => ValidateFunction {
  const options = { strict: false, allErrors: true }
  const ajv = dialect === '3.1' ? new Ajv2020(options) : new Ajv(options)
  addFormats(ajv as Ajv)
  ajv.addFormat('boolean', true)
  const cache = new WeakMap<object, ValidateFunction>()
  return (schema) => {
    let fn = cache.get(schema)
    if (!fn) {
      fn = ajv.compile(toDraft(schema) as object)
      cache.set(schema, fn)
    }
    return fn
  }
}

/**
 * Rewrites the OpenAPI 3.0 spellings that draft-07 reads differently, and nothing else: boolean
 * `exclusiveMinimum`/`exclusiveMaximum` (draft-04 style) become numbers, `type: date` (written in
 * the real contract, not a JSON type: ajv refuses to compile it) becomes the string format it means,
 * and `nullable: true` beside an `enum` adds null to it. Every other keyword is validated as written.
 */
export function toDraft(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toDraft)
  if (!schema || typeof schema !== 'object') return schema
  const src = schema as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(src)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toDraft(v)]))
    } else if (
      (key === 'exclusiveMinimum' || key === 'exclusiveMaximum') &&
      typeof value === 'boolean'
    ) {
      const bound = src[key === 'exclusiveMinimum' ? 'minimum' : 'maximum']
      if (value && typeof bound === 'number') out[key] = bound
    } else if (
      (key === 'minimum' && src.exclusiveMinimum === true) ||
      (key === 'maximum' && src.exclusiveMaximum === true)
    ) {
      continue
    } else if (
      key === 'enum' &&
      Array.isArray(value) &&
      src.nullable === true &&
      !value.includes(null)
    ) {
      out.enum = [...(value as unknown[]), null]
    } else if (key === 'type' && (value === 'date' || value === 'date-time')) {
      out.type = 'string'
      out.format ??= value
    } else out[key] = toDraft(value)
  }
  return out
}

/** A GET operation whose 200 response has `schema`, with path parameters `params`. */
export function operation(
  id: string,
  schema: JsonSchema | undefined,
  params: string[] = [],
): Operation {
  return {
    id,
    method: 'get',
    path: `/${id}/${params.map((p) => `{${p}}`).join('/')}`,
    deprecated: false,
    parameters: params.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
      examples: [],
    })),
    responses: {
      '200': {
        status: '200',
        description: 'OK',
        ...(schema ? { schema } : {}),
        examples: [],
        headers: [],
      },
    },
    secured: true,
    privileges: [],
    extensions: {},
  }
}

/** Error messages of a failed validation, one line each, for assertion messages. */
export const errorsOf = (validate: ValidateFunction): string =>
  (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('\n')

/** The value at a dotted path of a generated body (`'data.etablissements.0.siret'`), for assertions. */
export function at(value: unknown, path: string): unknown {
  let here = value
  for (const key of path.split('.')) {
    if (here === null || typeof here !== 'object') return undefined
    here = (here as Record<string, unknown>)[key]
  }
  return here
}
