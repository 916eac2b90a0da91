import type { ValidateFunction } from 'ajv'
import { checkSiren, checkSiret } from '../data/identifiers.js'
import type { ApiErrorSpec } from './error-body.js'
import { createAjv, createSchemaCompiler } from './json-schema.js'
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
}

type Location = 'path' | 'query' | 'header'
// Headers that OpenAPI says are never described as parameters.
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization'])

/**
 * Validates a request against its operation: required parameters, SIREN/SIRET keys, each location's
 * schema (values coerced from strings first), then the JSON body. Validators compile on first use.
 */
export function createRequestValidator(
  contract: Contract,
): (op: Operation, parts: RequestParts) => ValidationFailure | undefined {
  const compile = createSchemaCompiler(createAjv(contract.openapi, { coerceTypes: 'array' }))
  const compileBody = createSchemaCompiler(createAjv(contract.openapi))
  const plans = new WeakMap<Operation, Plan>()
  return (op, parts) => {
    let plan = plans.get(op)
    if (!plan) plans.set(op, (plan = planFor(op, compile)))
    for (const p of plan.required) {
      const v = read(parts, p)
      if (v === undefined || v === '') {
        return fail(p.name, `Le paramètre ${p.name} est obligatoire`)
      }
    }
    for (const p of plan.identifiers) {
      const v = read(parts, p)
      if (typeof v !== 'string') continue
      const kind = identifierKind(p.name)
      const problem = kind === 'siren' ? checkSiren(v) : checkSiret(v)
      if (problem) return fail(p.name, `Le numéro de ${kind} n'est pas correctement formatté`)
    }
    for (const [loc, check] of plan.locations) {
      const values: Record<string, unknown> = {}
      for (const p of plan.byLocation.get(loc) ?? []) {
        const v = read(parts, p)
        if (v !== undefined) values[p.name] = Array.isArray(v) ? [...v] : v
      }
      if (!check(values)) {
        const err = check.errors?.[0]
        const name = err ? paramOf(err.instancePath, err.params) : undefined
        const why = err?.message ?? 'is invalid'
        return fail(
          name,
          name ? `Le paramètre ${name} est invalide : ${why}` : `Paramètre invalide : ${why}`,
        )
      }
    }
    if (op.requestBody) return checkBody(op, parts, compileBody)
    return undefined
  }
}

interface Plan {
  required: ParameterSpec[]
  identifiers: ParameterSpec[]
  byLocation: Map<Location, ParameterSpec[]>
  locations: Array<[Location, ValidateFunction]>
}

function planFor(op: Operation, compile: (s: Record<string, unknown>) => ValidateFunction): Plan {
  const params = op.parameters.filter(
    (p) => p.in !== 'cookie' && !(p.in === 'header' && IGNORED_HEADERS.has(p.name.toLowerCase())),
  )
  const byLocation = new Map<Location, ParameterSpec[]>()
  for (const p of params)
    byLocation.set(p.in as Location, [...(byLocation.get(p.in as Location) ?? []), p])
  const locations: Array<[Location, ValidateFunction]> = []
  for (const [loc, list] of byLocation) {
    const properties = Object.fromEntries(list.map((p) => [p.name, p.schema]))
    locations.push([loc, compile({ type: 'object', properties })])
  }
  return {
    required: params.filter((p) => p.required),
    identifiers: params.filter(
      (p) => identifierKind(p.name) !== undefined && (p.in === 'path' || p.in === 'query'),
    ),
    byLocation,
    locations,
  }
}

/** `siren` and `siret` parameters get production's key check; combined ones (`siren_or_rna`) do not. */
function identifierKind(name: string): 'siren' | 'siret' | undefined {
  const n = name.toLowerCase()
  return n === 'siren' || n === 'siret' ? n : undefined
}

function read(parts: RequestParts, p: ParameterSpec): string | string[] | undefined {
  if (p.in === 'path') return parts.path[p.name]
  if (p.in === 'query') return parts.query[p.name]
  return parts.headers[p.name.toLowerCase()]
}

function paramOf(instancePath: string, params: Record<string, unknown>): string | undefined {
  const first = instancePath.split('/')[1]
  if (first) return first.replace(/~1/g, '/').replace(/~0/g, '~')
  return typeof params.missingProperty === 'string' ? params.missingProperty : undefined
}

function fail(parameter: string | undefined, detail: string): ValidationFailure {
  return { status: 422, spec: { ...(parameter ? { parameter } : {}), detail } }
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
          spec: { parameter: 'body', detail: 'Le corps de la requête est obligatoire' },
        }
      : undefined
  }
  if (!/json/i.test(declared.contentType)) return undefined
  if (parts.contentType && !/json/i.test(parts.contentType)) {
    return {
      status: 415,
      spec: { parameter: 'body', detail: `Le corps doit être envoyé en ${declared.contentType}` },
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
      detail: `Le corps est invalide en ${at} : ${err?.message ?? 'valeur invalide'}`,
    },
  }
}
