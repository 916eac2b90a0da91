/**
 * Probes a running server (the sandbox or any other mock) with a contract: each GET operation called
 * once with valid parameters (its 2XX body checked against the declared schema), and each GET that
 * has a constrained parameter called once with a value that breaks it (the answer checked against
 * what the operation declares for a refused request, or RFC 9457 problem details when it declares
 * nothing).
 */
import type { ValidateFunction } from 'ajv'
import {
  createGenerationContext,
  generateFromSchema,
} from '../../mock/data/generate-from-schema.js'
import { createSeededFaker } from '../../mock/data/seeded.js'
import type { Contract, JsonSchema, Operation, ParameterSpec } from '../../mock/contract/types.js'

export interface ProbeResult {
  operations: number
  valid: number
  badRequests: number
  badInShape: number
  failures: string[]
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const random = createSeededFaker('en')

/** A value for a parameter: its example, else one generated from its schema (pattern, bounds...). */
function sample(p: ParameterSpec): string {
  const example = p.examples[0] ?? p.schema.example
  if (example !== undefined && example !== null && typeof example !== 'object')
    return String(example)
  const generated = generateFromSchema(
    p.schema,
    createGenerationContext({ faker: random.forKey(1, p.name), locale: 'en' }),
  )
  if (Array.isArray(generated)) return generated.map(String).join(',')
  if (generated !== null && generated !== undefined && typeof generated !== 'object')
    return String(generated)
  return fallbackSample(p)
}

function fallbackSample(p: ParameterSpec): string {
  const s = p.schema
  const first = (v: unknown): string | undefined =>
    v === undefined || v === null || typeof v === 'object' ? undefined : String(v)
  const fromSchema = (x: JsonSchema): string | undefined => {
    if (Array.isArray(x.enum) && x.enum.length) return first(x.enum[0])
    const type = Array.isArray(x.type) ? x.type[0] : x.type
    if (type === 'integer' || type === 'number')
      return String(typeof x.minimum === 'number' ? Math.max(x.minimum, 1) : 1)
    if (type === 'boolean') return 'true'
    if (type === 'array' && isObj(x.items)) return fromSchema(x.items)
    if (x.format === 'uuid') return '3fa85f64-5717-4562-b3fc-2c963f66afa6'
    if (x.format === 'date') return '2024-01-02'
    if (x.format === 'date-time') return '2024-01-02T03:04:05Z'
    if (Array.isArray(x.oneOf) && isObj(x.oneOf[0])) return fromSchema(x.oneOf[0])
    if (Array.isArray(x.anyOf) && isObj(x.anyOf[0])) return fromSchema(x.anyOf[0])
    return undefined
  }
  return first(p.examples[0]) ?? first(s.example) ?? first(s.default) ?? fromSchema(s) ?? 'abc123'
}

/** A value that breaks a parameter's schema, when one is easy to write. */
function breaking(p: ParameterSpec): string | undefined {
  const s = p.schema
  const type = Array.isArray(s.type) ? s.type[0] : s.type
  if (Array.isArray(s.enum) && s.enum.length) return 'not-in-the-enum-zz'
  if (type === 'integer' || type === 'number') return 'not-a-number'
  if (type === 'boolean') return 'not-a-boolean'
  return undefined
}

function url(op: Operation, override?: { p: ParameterSpec; value: string }): string {
  const value = (p: ParameterSpec): string => (override?.p === p ? override.value : sample(p))
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const p = op.parameters.find((x) => x.in === 'path' && x.name === name)
    return encodeURIComponent(p ? value(p) : 'abc')
  })
  const query = op.parameters
    .filter((p) => p.in === 'query' && (p.required || override?.p === p))
    .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(value(p))}`)
  return query.length ? `${path}?${query.join('&')}` : path
}

const headersOf = (op: Operation): Record<string, string> => {
  const out: Record<string, string> = { accept: '*/*' }
  // Mocks that enforce the contract's security (Prism) need a credential of the declared kind.
  if (process.env.PROBE_AUTHORIZATION) out.authorization = process.env.PROBE_AUTHORIZATION
  // Or an API key header, `Name: value` (X-Api-Key...).
  const extra = /^([^:\s]+):\s*(.+)$/.exec(process.env.PROBE_HEADER ?? '')
  if (extra) out[extra[1]!.toLowerCase()] = extra[2]!
  for (const p of op.parameters) if (p.in === 'header' && p.required) out[p.name] = sample(p)
  return out
}

export async function probe(
  contract: Contract,
  baseUrl: string,
  compile: (schema: JsonSchema) => ValidateFunction,
  limit = Number.POSITIVE_INFINITY,
): Promise<ProbeResult> {
  const result: ProbeResult = {
    operations: 0,
    valid: 0,
    badRequests: 0,
    badInShape: 0,
    failures: [],
  }
  const gets = contract.operations.filter((o) => o.method === 'get').slice(0, limit)
  for (const op of gets) {
    result.operations++
    try {
      const res = await get(baseUrl + url(op), headersOf(op))
      const text = await res.text()
      const declared =
        op.responses[String(res.status)] ?? op.responses[`${String(res.status)[0]}XX`]
      let ok = res.status >= 200 && res.status < 300 && declared !== undefined
      if (ok && declared?.schema) {
        if (!declared.contentType || /json/i.test(declared.contentType)) {
          try {
            ok = compile(declared.schema)(JSON.parse(text))
          } catch {
            ok = false
          }
        }
      }
      if (ok) result.valid++
      else result.failures.push(`${op.id}: ${res.status} ${text.slice(0, 160)}`)
    } catch (err) {
      result.failures.push(`${op.id}: ${describeFault(err)}`)
    }
    const target = op.parameters.find(
      (p) => (p.in === 'query' || p.in === 'path') && breaking(p) !== undefined,
    )
    if (!target) continue
    result.badRequests++
    try {
      const res = await get(
        baseUrl + url(op, { p: target, value: breaking(target)! }),
        headersOf(op),
      )
      const text = await res.text()
      if (res.status < 400 || res.status >= 500) {
        result.failures.push(`${op.id} (bad ${target.name}): ${res.status}`)
        continue
      }
      const declared =
        op.responses[String(res.status)] ??
        op.responses[`${String(res.status)[0]}XX`] ??
        op.responses.default
      let inShape: boolean
      if (declared?.schema) {
        try {
          inShape = compile(declared.schema)(JSON.parse(text))
        } catch {
          inShape = false
        }
      } else {
        const declaresAny = Object.keys(op.responses).some((s) => /^4|default/.test(s))
        inShape = declaresAny
          ? declared !== undefined
          : /problem\+json/.test(res.headers.get('content-type') ?? '')
      }
      if (inShape) result.badInShape++
      else
        result.failures.push(`${op.id} (bad ${target.name}): ${res.status} ${text.slice(0, 160)}`)
    } catch (err) {
      result.failures.push(`${op.id} (bad): ${describeFault(err)}`)
    }
  }
  return result
}

/**
 * A GET, tried once more on a fresh connection when the server had closed the kept-alive one before
 * any answer (as HTTP clients do for idempotent requests): validating a large body can keep this
 * process busy past the server's keep-alive timeout, and the next call then meets a closed socket.
 */
async function get(address: string, headers: Record<string, string>): Promise<Response> {
  try {
    return await fetch(address, { headers })
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code
    if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw err
    return fetch(address, { headers })
  }
}

/** A failed call's message with its cause (`fetch failed` alone says nothing). */
function describeFault(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause
  const message = (err as Error).message
  return cause ? `${message} (${cause.code ?? ''} ${cause.message ?? ''})`.trim() : message
}
