import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import $RefParser from '@apidevtools/json-schema-ref-parser'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { parse } from 'yaml'
import { beforeAll, describe, expect, it } from 'vitest'

// The bundled fixtures: default contract, rate limits, privileges, field scopes and fixture cases,
// checked against each other and against the production contract (read in place, never copied).

type Obj = Record<string, unknown>
interface Op {
  id: string
  method: string
  path: string
  op: Obj
}

const ROOT = resolve(import.meta.dirname, '../..')
const FIXTURES = join(ROOT, 'fixtures')
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']
/** Operations that any valid token may call (production: /privileges and the public VAT number). */
const TOKEN_ONLY = new Set([
  'api_entreprise_privileges',
  'api_entreprise_v3_european_commission_vies',
])
/** Statuses every data operation declares, with examples; INSEE Sirene ones add 451. */
const ERROR_STATUSES = ['401', '403', '404', '409', '422', '429', '502', '503', '504']

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const obj = (v: unknown): Obj => (isObj(v) ? v : {})
// ajv-formats is CommonJS; its default export arrives wrapped under Node's ESM interop.
type AddFormats = (ajv: Ajv) => Ajv
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats

function realContractPath(): string {
  const candidates = [
    process.env.SANDBOX_REAL_CONTRACT,
    resolve(ROOT, '../shared/contracts/api_entreprise.yaml'),
  ]
  const found = candidates.find((p): p is string => !!p && existsSync(p))
  if (!found)
    throw new Error('api_entreprise.yaml is missing: set SANDBOX_REAL_CONTRACT (.ci/run does).')
  return found
}

async function readYaml(file: string): Promise<Obj> {
  return obj(parse(await readFile(file, 'utf8')))
}

function operationsOf(doc: Obj): Op[] {
  const ops: Op[] = []
  for (const [path, item] of Object.entries(obj(doc.paths))) {
    for (const method of HTTP_METHODS) {
      const op = obj(item)[method]
      if (!isObj(op)) continue
      const fromResponses = Object.values(obj(op.responses))
        .map((r) => obj(r)['x-operationId'])
        .find((id) => typeof id === 'string')
      ops.push({ id: String(op.operationId ?? fromResponses), method, path, op })
    }
  }
  return ops
}

/** Calls `visit` on every object of a (possibly shared, dereferenced) tree, once each. */
function walk(node: unknown, visit: (o: Obj) => void, seen = new Set<object>()): void {
  if (typeof node !== 'object' || node === null || seen.has(node)) return
  seen.add(node)
  if (!Array.isArray(node)) visit(node as Obj)
  for (const child of Object.values(node)) walk(child, visit, seen)
}

/** An instance built from the schema's own `example`s, to check they agree with the schema. */
function sampleOf(schema: Obj): unknown {
  if (schema.example !== undefined) return schema.example
  if (schema.type === 'array') return [sampleOf(obj(schema.items))]
  if (schema.type === 'object' || isObj(schema.properties)) {
    return Object.fromEntries(
      Object.entries(obj(schema.properties)).map(([k, v]) => [k, sampleOf(obj(v))]),
    )
  }
  if (Array.isArray(schema.enum)) return schema.enum[0]
  return { string: 'x', integer: 0, number: 0, boolean: true }[String(schema.type)] ?? null
}

/** The schema a dotted field-scope path leads to (`*` = every item), or undefined. */
function schemaAt(schema: Obj, path: string): Obj | undefined {
  let node: Obj | undefined = schema
  for (const segment of path.split('.')) {
    if (!node) return undefined
    if (segment === '*')
      node = isObj(node.items)
        ? node.items
        : isObj(node.additionalProperties)
          ? node.additionalProperties
          : undefined
    else
      node = isObj(obj(node.properties)[segment])
        ? (obj(node.properties)[segment] as Obj)
        : undefined
  }
  return node
}

const responseOf = (op: Op, status: string): Obj => obj(obj(op.op.responses)[status])
const jsonOf = (response: Obj): Obj => obj(obj(response.content)['application/json'])
const examplesOf = (response: Obj): unknown[] =>
  Object.values(obj(jsonOf(response).examples)).map((e) => obj(e).value)
const firstError = (example: unknown): Obj =>
  obj((obj(example).errors as unknown[] | undefined)?.[0])
const paramsOf = (op: Op): Obj[] => ((op.op.parameters as unknown[] | undefined) ?? []).map(obj)

describe('bundled default contract (fixtures/default-contract.yaml)', () => {
  let raw: Obj
  let doc: Obj
  let ops: Op[]
  let dataOps: Op[]
  let realOps: Op[]
  let realDoc: Obj
  let ajv: Ajv

  beforeAll(async () => {
    raw = await readYaml(join(FIXTURES, 'default-contract.yaml'))
    doc = (await $RefParser.dereference(structuredClone(raw))) as Obj
    ops = operationsOf(doc)
    dataOps = ops.filter((o) => o.path !== '/privileges')
    realDoc = (await $RefParser.dereference(await readYaml(realContractPath()))) as Obj
    realOps = operationsOf(realDoc)
    ajv = new Ajv({ strict: false, allErrors: true })
    addFormats(ajv)
  })

  it('parses as OpenAPI 3.0.3 built on components, and every $ref resolves', () => {
    expect(raw.openapi).toBe('3.0.3')
    let refs = 0
    walk(raw, (o) => void (typeof o.$ref === 'string' && refs++))
    expect(refs).toBeGreaterThan(100)
    walk(doc, (o) => expect(o.$ref, 'a $ref left after dereferencing').toBeUndefined())
  })

  it('declares at least 12 operations across /v3 and /v4 with production operation ids', () => {
    expect(ops.length).toBeGreaterThanOrEqual(12)
    expect(dataOps.some((o) => o.path.startsWith('/v3/'))).toBe(true)
    expect(dataOps.some((o) => o.path.startsWith('/v4/'))).toBe(true)
    expect(new Set(ops.map((o) => o.id)).size).toBe(ops.length)
    for (const op of dataOps) {
      const real = realOps.find((r) => r.path === op.path && r.method === op.method)
      expect(real?.id, `${op.path} is a production path with the same id`).toBe(op.id)
    }
    expect(ops.find((o) => o.path === '/privileges')?.id).toBe('api_entreprise_privileges')
  })

  it('asks a JWT bearer token of every operation and a privilege of every data operation', () => {
    expect(obj(obj(doc.components).securitySchemes).jwt_bearer_token).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    })
    for (const op of ops) {
      const privilege = op.op['x-sandbox-privilege']
      expect(op.op.security, op.id).toEqual([{ jwt_bearer_token: privilege ? [privilege] : [] }])
      expect(typeof privilege === 'string', `${op.id} has a privilege`).toBe(!TOKEN_ONLY.has(op.id))
    }
  })

  it('requires context, recipient (a SIRET) and object (< 50 chars) on every data operation', () => {
    for (const op of dataOps) {
      const byName = new Map(paramsOf(op).map((p) => [p.name, p]))
      for (const name of ['context', 'recipient', 'object']) {
        expect(byName.get(name), `${op.id} ${name}`).toMatchObject({ in: 'query', required: true })
      }
      expect(obj(byName.get('recipient')?.schema).pattern).toBe('^\\d{14}$')
      expect(obj(byName.get('object')?.schema).maxLength).toBe(50)
      for (const [name, pattern] of [
        ['siren', '^\\d{9}$'],
        ['siret', '^\\d{14}$'],
      ]) {
        if (op.path.includes(`{${name}}`))
          expect(obj(byName.get(name)?.schema).pattern).toBe(pattern)
      }
    }
  })

  it('declares every production error status with examples in the production error shape', () => {
    const validate = ajv.compile(obj(obj(obj(doc.components).schemas).Error))
    for (const op of dataOps) {
      const statuses = [...ERROR_STATUSES, ...(op.path.includes('/insee/') ? ['451'] : [])]
      for (const status of statuses) {
        const examples = examplesOf(responseOf(op, status))
        expect(examples.length, `${op.id} ${status}`).toBeGreaterThan(0)
        for (const example of examples) {
          expect(validate(example), `${op.id} ${status}: ${ajv.errorsText(validate.errors)}`).toBe(
            true,
          )
          const error = firstError(example)
          expect(error.code).toMatch(/^\d{5}$/)
          expect(Object.keys(error).sort()).toEqual(['code', 'detail', 'meta', 'source', 'title'])
          expect(error.source === null || typeof obj(error.source).parameter === 'string').toBe(
            true,
          )
          expect(isObj(error.meta)).toBe(true)
        }
      }
    }
    const privileges = ops.find((o) => o.id === 'api_entreprise_privileges')!
    for (const status of ['401', '429'])
      expect(examplesOf(responseOf(privileges, status)).length).toBeGreaterThan(0)
  })

  it('carries the production codes: token, privilege, conflict, parameters, volume, provider', () => {
    const codes = (op: Op, status: string) =>
      examplesOf(responseOf(op, status)).map((e) => firstError(e).code)
    let retryIn502 = 0
    for (const op of dataOps) {
      expect(codes(op, '401')).toEqual(['00101', '00103', '00105'])
      expect(codes(op, '403')).toEqual(['00100'])
      expect(codes(op, '409')).toEqual(['00015'])
      expect(codes(op, '429')).toEqual(['00429'])
      expect(codes(op, '404')[0]).toMatch(/^\d\d003$/)
      expect(codes(op, '503')[0]).toMatch(/^\d\d001$/)
      expect(codes(op, '504')).toEqual(
        expect.arrayContaining(['00501', expect.stringMatching(/^\d\d002$/)]),
      )
      // The sandbox picks the first 422 example naming the parameter at fault: each checked one has one.
      const byParameter = new Map<unknown, unknown>()
      for (const e of examplesOf(responseOf(op, '422'))) {
        const parameter = obj(firstError(e).source).parameter
        if (!byParameter.has(parameter)) byParameter.set(parameter, firstError(e).code)
      }
      expect(byParameter.get('context')).toBe('00201')
      expect(byParameter.get('object')).toBe('00202')
      expect(byParameter.get('recipient')).toBe('00203')
      const expected: Record<string, string> = {
        siren: '00301',
        siret: '00302',
        month: '00305',
        year: '00307',
      }
      for (const p of paramsOf(op).filter((p) => p.in === 'path'))
        expect(byParameter.get(p.name), `${op.id} ${p.name}`).toBe(expected[String(p.name)])
      const provider502 = examplesOf(responseOf(op, '502')).map((e) => obj(firstError(e).meta))
      expect(
        provider502.some((m) => typeof m.provider === 'string'),
        `${op.id} 502 names its provider`,
      ).toBe(true)
      retryIn502 += provider502.filter((m) => typeof m.retry_in === 'number').length
      const timeouts = examplesOf(responseOf(op, '504')).map((e) => obj(firstError(e).meta))
      expect(
        timeouts.some((m) => typeof m.retry_in === 'number'),
        `${op.id} 504 has a retry hint`,
      ).toBe(true)
    }
    expect(retryIn502).toBeGreaterThan(0)
  })

  it('declares the RateLimit headers on every 200 and Retry-After on every 429', () => {
    for (const op of ops) {
      expect(Object.keys(obj(responseOf(op, '200').headers))).toEqual([
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
      ])
      expect(Object.keys(obj(responseOf(op, '429').headers))).toContain('Retry-After')
    }
  })

  it("compiles every 200 schema with ajv, and the schema's own examples satisfy it", () => {
    for (const op of ops) {
      const schema = obj(jsonOf(responseOf(op, '200')).schema)
      const validate = ajv.compile(schema)
      expect(validate(sampleOf(schema)), `${op.id}: ${ajv.errorsText(validate.errors)}`).toBe(true)
    }
  })

  it("keeps every property carrying x-sandbox-scopes out of its parent's required list", () => {
    let scoped = 0
    walk(doc, (schema) => {
      for (const [name, property] of Object.entries(obj(schema.properties))) {
        if (!Array.isArray(obj(property)['x-sandbox-scopes'])) continue
        scoped++
        expect((schema.required as unknown[] | undefined) ?? [], name).not.toContain(name)
      }
    })
    expect(scoped).toBeGreaterThan(0)
  })

  it('maps every operation of both contracts to a declared rate-limit group', async () => {
    const table = await readYaml(join(FIXTURES, 'rate-limits.yaml'))
    expect(table).toMatchObject({ window: '60s', per_ip: 1000, default_group: 'json' })
    const groups = obj(table.groups)
    const limits = Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, obj(v).limit]))
    expect(limits).toEqual({
      json: 250,
      documents: 50,
      dgfip_attestation_fiscale: 5,
      inpi_actes_bilans: 5,
      urssaf_effectifs: 250,
    })
    const mapped = obj(table.operations)
    expect(realOps).toHaveLength(52)
    const allIds = new Set([...ops, ...realOps].map((o) => o.id))
    expect(new Set(Object.keys(mapped))).toEqual(allIds)
    for (const group of Object.values(mapped)) expect(Object.keys(groups)).toContain(group)
    for (const op of ops) expect(op.op['x-sandbox-rate-limit'], op.id).toBe(mapped[op.id])
    // An operation serving a document link belongs to a document group, never to the JSON one.
    for (const op of [...ops, ...realOps]) {
      const servesDocument = JSON.stringify(jsonOf(responseOf(op, '200')).schema ?? {}).includes(
        '"document_url"',
      )
      if (servesDocument) expect(mapped[op.id], op.id).not.toBe('json')
    }
  })

  it('names a privilege for each of the 52 production operations, as the bundled contract does', async () => {
    const table = obj((await readYaml(join(FIXTURES, 'privileges.yaml'))).operations)
    expect(new Set(Object.keys(table))).toEqual(new Set(realOps.map((o) => o.id)))
    for (const value of Object.values(table))
      expect(value === null || /^[a-z_]+$/.test(String(value))).toBe(true)
    for (const op of dataOps) expect(table[op.id], op.id).toBe(op.op['x-sandbox-privilege'] ?? null)
  })

  it("ties field scopes to fields of the production contract's 200 schemas", async () => {
    const table = await readYaml(join(FIXTURES, 'field-scopes.yaml'))
    expect(Object.keys(table).length).toBeGreaterThan(0)
    for (const [id, fields] of Object.entries(table)) {
      const op = realOps.find((o) => o.id === id)
      expect(op, id).toBeDefined()
      const schema = obj(jsonOf(responseOf(op!, '200')).schema)
      for (const [path, scopes] of Object.entries(obj(fields))) {
        expect(schemaAt(schema, path), `${id} ${path}`).toBeDefined()
        expect(scopes).toEqual(expect.arrayContaining([expect.stringMatching(/^[a-z_]+$/)]))
      }
    }
  })

  it('validates every fixture case against the contract schema for its status', async () => {
    const dir = join(FIXTURES, 'cases')
    const cases: { id: string; params: Obj }[] = []
    for (const id of await readdir(dir)) {
      const op = ops.find((o) => o.id === id)
      expect(op, `fixtures/cases/${id} names an operation`).toBeDefined()
      for (const file of (await readdir(join(dir, id))).filter((f) => f.endsWith('.yaml'))) {
        const fixture = await readYaml(join(dir, id, file))
        const where = `${id}/${file}`
        const params = obj(fixture.params)
        for (const [name, value] of Object.entries(params)) {
          const spec = paramsOf(op!).find((p) => p.name === name)
          expect(spec, `${where}: ${name} is a parameter`).toBeDefined()
          expect(ajv.validate(obj(spec!.schema), value), `${where}: ${name}`).toBe(true)
        }
        const response = responseOf(op!, String(fixture.status))
        const payload =
          typeof fixture.payload === 'string' ? JSON.parse(fixture.payload) : fixture.payload
        const validate = ajv.compile(obj(jsonOf(response).schema))
        expect(validate(payload), `${where}: ${ajv.errorsText(validate.errors)}`).toBe(true)
        cases.push({ id, params })
      }
    }
    expect(cases.length).toBeGreaterThanOrEqual(4)
    // At least one case refines another (same operation, its params plus more): the most specific wins.
    const refines = cases.some((a) =>
      cases.some(
        (b) =>
          a !== b &&
          a.id === b.id &&
          Object.keys(a.params).length > Object.keys(b.params).length &&
          Object.entries(b.params).every(([k, v]) => a.params[k] === v),
      ),
    )
    expect(refines).toBe(true)
  })
})
