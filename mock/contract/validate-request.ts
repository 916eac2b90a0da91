import type { ValidateFunction } from 'ajv'
import { checkSiren, checkSiret } from '../data/identifiers.js'
import type { ApiErrorSpec } from './error-body.js'
import { createAjv, createSchemaCompiler, frenchReason, lintSchema } from './json-schema.js'
import { readHeader, readPath, readQuery, type ParameterValue } from './parameter-styles.js'
import type { Contract, Operation, ParameterSpec } from './types.js'

/** The parts of a request that the contract constrains. */
export interface RequestParts {
  path: Record<string, string>
  query: Record<string, string | string[] | undefined>
  headers: Record<string, string | string[] | undefined>
  /** Parsed JSON body, when the operation declares one. */
  body?: unknown
  /** Content type of the body as sent. */
  contentType?: string
}

/** A validation failure: the status and what the error answer should say. */
export interface ValidationFailure {
  status: 400 | 415 | 422
  spec: ApiErrorSpec
  /** Further faults of the same request (several required parameters missing), reported with it. */
  also?: ApiErrorSpec[]
}

// Headers that OpenAPI says are never described as parameters.
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization'])

/**
 * Validates a request against its operation: required parameters, SIREN/SIRET keys, each parameter
 * read as its style says and checked against its schema (strings coerced to the schema's numbers and
 * booleans first; for `oneOf`/`anyOf`, whichever reading one branch accepts), then the JSON body.
 * Validators compile on first use. A schema keyword the validator cannot compile (a pattern no
 * JavaScript engine reads, an empty `enum`) is reported once at load through `warn` and ignored.
 */
export function createRequestValidator(
  contract: Contract,
  warn: (line: string) => void = () => undefined,
): (op: Operation, parts: RequestParts) => ValidationFailure | undefined {
  for (const op of contract.operations) {
    const schemas: Array<[string, unknown]> = op.parameters.map((p) => [
      `parameter ${p.name}`,
      p.schema,
    ])
    if (op.requestBody?.schema) schemas.push(['request body', op.requestBody.schema])
    for (const [what, schema] of schemas)
      for (const problem of lintSchema(schema))
        warn(`warning: contract ${contract.file}: ${op.id}, ${what}: ${problem}`)
  }
  // The validators (each with its meta-schema to parse) are made when a request first needs one.
  let coercing: ((s: Record<string, unknown>) => ValidateFunction) | undefined
  let exact: ((s: Record<string, unknown>) => ValidateFunction) | undefined
  const compile = (s: Record<string, unknown>): ValidateFunction =>
    (coercing ??= createSchemaCompiler(createAjv(contract.openapi, { coerceTypes: 'array' })))(s)
  const compileExact = (s: Record<string, unknown>): ValidateFunction =>
    (exact ??= createSchemaCompiler(createAjv(contract.openapi)))(s)
  const plans = new WeakMap<Operation, Plan>()
  return (op, parts) => {
    let plan = plans.get(op)
    if (!plan) plans.set(op, (plan = planFor(op)))
    const values = new Map<ParameterSpec, ParameterValue | undefined>()
    for (const p of plan.params) values.set(p, read(parts, p))
    // Every missing parameter is reported, not only the first (three traceability parameters, say).
    const missing = plan.required.filter((p) => {
      const v = values.get(p)
      return v === undefined || v === ''
    })
    if (missing.length > 0) {
      const [first, ...rest] = missing.map((p) =>
        fail(p.name, `Le paramètre ${p.name} est obligatoire`, `Parameter ${p.name} is required`),
      )
      return rest.length > 0 ? { ...first!, also: rest.map((f) => f.spec) } : first
    }
    for (const p of plan.identifiers) {
      const v = values.get(p)
      if (typeof v !== 'string') continue
      const kind = identifierKind(p.name)
      const problem = kind === 'siren' ? checkSiren(v) : checkSiret(v)
      if (problem)
        return fail(
          p.name,
          `Le numéro de ${kind} n'est pas correctement formatté`,
          `Parameter ${p.name} is not a valid ${(kind ?? '').toUpperCase()}`,
        )
    }
    for (const p of plan.params) {
      const v = values.get(p)
      if (v === undefined) continue
      const problem = checkParameter(p, v, compile, compileExact)
      if (problem)
        return fail(
          p.name,
          `Le paramètre ${p.name} est invalide : ${problem}`,
          `Parameter ${p.name} is invalid: ${problem}`,
        )
    }
    if (op.requestBody) return checkBody(op, parts, compileExact)
    return undefined
  }
}

interface Plan {
  params: ParameterSpec[]
  required: ParameterSpec[]
  identifiers: ParameterSpec[]
}

function planFor(op: Operation): Plan {
  const params = op.parameters.filter(
    (p) => p.in !== 'cookie' && !(p.in === 'header' && IGNORED_HEADERS.has(p.name.toLowerCase())),
  )
  return {
    params,
    required: params.filter((p) => p.required),
    identifiers: params.filter(
      (p) => identifierKind(p.name) !== undefined && (p.in === 'path' || p.in === 'query'),
    ),
  }
}

const wrappers = new WeakMap<ParameterSpec, Record<string, unknown>>()

/**
 * Checks one parameter: first with strings coerced by the validator (`"5"` for an integer, `"a"`
 * for an array of one); when that fails, with each reading of a single string (number, boolean,
 * the text itself) checked exactly, so that `oneOf: [integer, string]` accepts `5` and `abc`.
 */
function checkParameter(
  p: ParameterSpec,
  value: ParameterValue,
  compile: (s: Record<string, unknown>) => ValidateFunction,
  compileExact: (s: Record<string, unknown>) => ValidateFunction,
): string | undefined {
  let wrapper = wrappers.get(p)
  if (!wrapper) {
    wrapper = { type: 'object', properties: { [p.name]: p.schema } }
    wrappers.set(p, wrapper)
  }
  let data: unknown = value
  if (p.mediaType && /json/i.test(p.mediaType) && typeof value === 'string') {
    try {
      data = JSON.parse(value)
    } catch {
      return `ce n'est pas du JSON valide`
    }
  }
  // The commonest parameter schema, `type: string` alone, holds every single text: nothing to compile.
  if (typeof data === 'string' && holdsAnyText(p.schema)) return undefined
  const check = compile(wrapper)
  if (check({ [p.name]: Array.isArray(data) ? [...data] : structuredCopy(data) })) return undefined
  const why = frenchReason(check.errors)
  if (typeof data === 'string') {
    const exact = compileExact(p.schema)
    for (const reading of readings(data)) if (exact(reading)) return undefined
  }
  return why
}

/** Keywords that describe a value without constraining it. */
const ANNOTATIONS = new Set([
  'type',
  'title',
  'description',
  'example',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'nullable',
  '$comment',
])

/** Whether a schema is `type: string` and annotations, which every string satisfies. */
function holdsAnyText(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object') return false
  const s = schema as Record<string, unknown>
  if (s.type !== 'string') return false
  for (const key in s) if (!ANNOTATIONS.has(key) && !key.startsWith('x-')) return false
  return true
}

const structuredCopy = (v: unknown): unknown =>
  v && typeof v === 'object' ? { ...(v as object) } : v

/** The values a query-string text may stand for. */
function readings(text: string): unknown[] {
  const out: unknown[] = []
  if (text.trim() !== '' && Number.isFinite(Number(text))) out.push(Number(text))
  if (text === 'true' || text === 'false') out.push(text === 'true')
  if (text === 'null') out.push(null)
  out.push(text)
  return out
}

/** `siren` and `siret` parameters get production's key check; combined ones (`siren_or_rna`) do not. */
function identifierKind(name: string): 'siren' | 'siret' | undefined {
  const n = name.toLowerCase()
  return n === 'siren' || n === 'siret' ? n : undefined
}

function read(parts: RequestParts, p: ParameterSpec): ParameterValue | undefined {
  if (p.in === 'path') return readPath(p, parts.path[p.name])
  if (p.in === 'query') return readQuery(p, parts.query)
  return readHeader(p, parts.headers[p.name.toLowerCase()])
}

function fail(parameter: string | undefined, detail: string, english: string): ValidationFailure {
  return { status: 422, spec: { ...(parameter ? { parameter } : {}), detail, english } }
}

function checkBody(
  op: Operation,
  parts: RequestParts,
  compile: (s: Record<string, unknown>) => ValidateFunction,
): ValidationFailure | undefined {
  const declared = op.requestBody!
  if (parts.body === undefined) {
    return declared.required
      ? {
          status: 400,
          spec: {
            parameter: 'body',
            detail: 'Le corps de la requête est obligatoire',
            english: 'A request body is required',
          },
        }
      : undefined
  }
  if (!/json/i.test(declared.contentType)) return undefined
  if (parts.contentType && !/json/i.test(parts.contentType)) {
    return {
      status: 415,
      spec: {
        parameter: 'body',
        detail: `Le corps doit être envoyé en ${declared.contentType}`,
        english: `The body must be sent as ${declared.contentType}`,
      },
    }
  }
  if (!declared.schema) return undefined
  const check = compile(declared.schema)
  if (check(parts.body)) return undefined
  const err = check.errors?.[0]
  const at = err?.instancePath || '/'
  return {
    status: 422,
    spec: {
      parameter: 'body',
      detail: `Le corps est invalide en ${at} : ${frenchReason(check.errors)}`,
      english: `The body is invalid at ${at}: ${check.errors?.[0]?.message ?? 'invalid value'}`,
    },
  }
}
