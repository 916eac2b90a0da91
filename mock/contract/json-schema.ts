import type { Ajv, ErrorObject, ValidateFunction } from 'ajv'
import { ajvLib } from './ajv-lib.js'
import { draft07Check } from './meta-check.js'
import type { JsonSchema } from './types.js'

/** How an ajv instance of {@link createAjv} is made. */
export interface AjvOptions {
  coerceTypes?: boolean | 'array'
  /**
   * A draft-07 meta-schema check made ahead of time, used for OpenAPI 3.0 contracts instead of ajv's
   * own (which ajv compiles at first use). Absent: the bundle's (`meta-check.ts`), none from sources.
   */
  metaCheck?: ((schema: unknown) => boolean) | undefined
}

/** The meta-schema check each ajv instance uses in place of its own (`createSchemaCompiler`). */
const metaChecks = new WeakMap<Ajv, (schema: unknown) => boolean>()

/** An ajv instance for a contract's dialect: draft-07 + `nullable` for 3.0, 2020-12 for 3.1. */
export function createAjv(openapi: string, options: AjvOptions = {}): Ajv {
  const { metaCheck, ...rest } = options
  // Given, even as undefined, it replaces the bundle's: undefined leaves the check to ajv.
  const ahead = 'metaCheck' in options ? metaCheck : draft07Check
  const check = openapi.startsWith('3.1') ? undefined : ahead
  const common = {
    strict: false,
    allErrors: false,
    logger: false as const,
    code: { regExp: lenientRegExp },
    ...rest,
    ...(check ? { validateSchema: false } : {}),
  }
  const { Ajv, Ajv2020, addFormats } = ajvLib()
  const ajv = openapi.startsWith('3.1') ? new Ajv2020(common) : new Ajv(common)
  addFormats(ajv as Ajv)
  // OpenAPI formats that JSON Schema does not define: accept any value, as the OpenAPI spec allows.
  for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password'])
    ajv.addFormat(f, true)
  if (check) metaChecks.set(ajv as Ajv, check)
  return ajv as Ajv
}

/**
 * Rewrites OpenAPI 3.0 schema quirks into what ajv understands: boolean `exclusiveMinimum`/`Maximum`
 * (draft-04 style) become numbers, `x-` extensions and examples are dropped. A recursive schema (a
 * cycle of objects, as the loader leaves it) becomes a tree whose back edges are `$ref`s to `$defs`
 * of the root, which is how ajv compiles recursion.
 */
export function toAjvSchema(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object') return schema
  const heads = cycleHeads(schema)
  const names = new Map<object, string>()
  const defs: Record<string, unknown> = {}
  const done = new Map<object, unknown>()
  const convert = (node: unknown, top = false): unknown => {
    if (Array.isArray(node)) return node.map((n) => convert(n))
    if (!node || typeof node !== 'object') return node
    if (heads.has(node) && !top) {
      let name = names.get(node)
      if (!name) {
        name = `s${names.size}`
        names.set(node, name)
        defs[name] = convert(node, true)
      }
      return { $ref: `#/$defs/${name}` }
    }
    const cached = done.get(node)
    if (cached) return cached
    const out = convertOne(node as JsonSchema, convert)
    done.set(node, out)
    return out
  }
  const root = convert(schema)
  if (names.size === 0) return root
  // The root itself may be a head: its body is then in $defs, and the root refers to it.
  const base = root as JsonSchema
  return { ...base, $defs: { ...((base.$defs as object | undefined) ?? {}), ...defs } }
}

/** Schema objects that a back edge leads to: where recursion enters. */
function cycleHeads(root: object): Set<object> {
  const heads = new Set<object>()
  const onPath = new Set<object>()
  const finished = new Set<object>()
  // Iterative depth-first walk: recursive schemas can nest deeper than the call stack.
  const stack: Array<{ node: object; children: unknown[]; i: number }> = []
  const enter = (node: object): void => {
    onPath.add(node)
    const children = Array.isArray(node)
      ? node
      : Object.entries(node)
          .filter(([k]) => k !== 'example' && k !== 'examples' && !k.startsWith('x-'))
          .map(([, v]) => v)
    stack.push({ node, children, i: 0 })
  }
  enter(root)
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!
    if (top.i >= top.children.length) {
      onPath.delete(top.node)
      finished.add(top.node)
      stack.pop()
      continue
    }
    const child = top.children[top.i++]
    if (!child || typeof child !== 'object') continue
    if (onPath.has(child)) heads.add(child)
    else if (!finished.has(child)) enter(child)
  }
  return heads
}

function convertOne(src: JsonSchema, convert: (node: unknown) => unknown): JsonSchema {
  // OpenAPI 3.0's `nullable` beside no `type` (`nullable` + `allOf: [$ref]`): null or the rest.
  if ('nullable' in src && src.type === undefined) {
    const { nullable, ...rest } = src
    const body = convertOne(rest, convert)
    return nullable === true ? { anyOf: [{ type: 'null' }, body] } : body
  }
  const out: JsonSchema = {}
  for (const [key, value] of Object.entries(src)) {
    if (key === 'example' || key === 'examples' || key.startsWith('x-')) continue
    if (key === '$ref' && typeof value === 'string') continue
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
    // An empty enum allows nothing: contracts that write one mean "not constrained yet".
    if (key === 'enum' && Array.isArray(value) && value.length === 0) continue
    // OpenAPI 3.0's `nullable: true` beside an enum that lists no `null` (API Entreprise's `sexe`:
    // `enum: [M, F]`, null for a company): null is allowed, as production sends it and as client
    // generators type it (`'M' | 'F' | null`).
    if (key === 'enum' && Array.isArray(value) && src.nullable === true && !value.includes(null)) {
      out.enum = [...(value as unknown[]), null]
      continue
    }
    // Literal values: kept as written, never walked as schemas.
    if (key === 'enum' || key === 'const' || key === 'default') {
      out[key] = value
      continue
    }
    // `properties`, `patternProperties` hold names, not keywords: keep their keys, convert their values.
    if (
      (key === 'properties' ||
        key === 'patternProperties' ||
        key === 'definitions' ||
        key === '$defs' ||
        key === 'dependentSchemas') &&
      value &&
      typeof value === 'object'
    ) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]))
      continue
    }
    out[key] = convert(value)
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

/**
 * JSON Schema patterns are ECMA-262 regular expressions with the `u` flag; contracts in the wild
 * write patterns only valid without it (`[\\-\\:]`, escapes of plain letters): those are compiled
 * without it, as their authors' tools did. A pattern no engine reads accepts anything (reported at
 * load by {@link lintSchema}).
 */
function lenientRegExp(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags)
  } catch {
    try {
      return new RegExp(pattern, flags.replace('u', ''))
    } catch {
      return /(?:)/
    }
  }
}
lenientRegExp.code = 'lenientRegExp'

/** What a contract schema holds that no validator can honour, one line per fault, for a warning. */
export function lintSchema(schema: unknown): string[] {
  const out: string[] = []
  const seen = new Set<object>()
  const visit = (node: unknown, at: string): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return
    seen.add(node)
    if (Array.isArray(node)) {
      node.forEach((n, i) => visit(n, `${at}/${i}`))
      return
    }
    const s = node as JsonSchema
    if (typeof s.pattern === 'string') {
      let ok = false
      for (const flags of ['u', '']) {
        try {
          new RegExp(s.pattern, flags)
          ok = true
          break
        } catch {
          // try without the flag
        }
      }
      if (!ok)
        out.push(
          `at ${at || '/'}: pattern ${JSON.stringify(s.pattern)} is not a valid regular expression; it is ignored`,
        )
    }
    if (Array.isArray(s.enum) && s.enum.length === 0)
      out.push(`at ${at || '/'}: an empty enum allows no value; it is ignored`)
    for (const [key, value] of Object.entries(s)) {
      if (
        key === 'example' ||
        key === 'examples' ||
        key === 'enum' ||
        key === 'const' ||
        key === 'default' ||
        key.startsWith('x-')
      )
        continue
      visit(value, `${at}/${key}`)
    }
  }
  visit(schema, '')
  return out
}

/**
 * Compiles a contract schema once and memoises the validator by schema identity. A schema ajv
 * refuses to compile (a keyword it cannot read) validates anything rather than failing every call.
 */
export function createSchemaCompiler(ajv: Ajv): (schema: JsonSchema) => ValidateFunction {
  const cache = new WeakMap<object, ValidateFunction>()
  const check = metaChecks.get(ajv)
  return (schema) => {
    let fn = cache.get(schema)
    if (!fn) {
      try {
        const s = toAjvSchema(schema) as object
        // What ajv checks before compiling, with the check made ahead of time when there is one.
        if (check && typeof s === 'object' && s !== null) {
          if ((s as { $schema?: unknown }).$schema !== undefined) ajv.validateSchema(s, true)
          else if (!check(s)) throw new Error('schema is invalid')
        }
        fn = ajv.compile(s)
      } catch {
        fn = Object.assign(() => true, { errors: null }) as unknown as ValidateFunction
      }
      cache.set(schema, fn)
    }
    return fn
  }
}

/**
 * The first validation error in French, the language of the contracts' own messages: every message
 * speaks one language, never a French frame around an English fragment.
 */
export function frenchReason(errors: ErrorObject[] | null | undefined): string {
  const err = errors?.[0]
  if (!err) return 'valeur invalide'
  if (err.keyword === 'discriminator') {
    const tag = String((err.params as { tag?: unknown }).tag ?? '')
    return (err.params as { error?: unknown }).error === 'tag'
      ? `la propriété « ${tag} » doit être une chaîne`
      : `la valeur de « ${tag} » doit désigner une des variantes de oneOf`
  }
  const copy = [{ ...err }]
  ajvLib().localizeFr(copy)
  return copy[0]!.message ?? 'valeur invalide'
}
