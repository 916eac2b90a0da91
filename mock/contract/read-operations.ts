import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import type {
  JsonSchema,
  MediaSpec,
  NamedExample,
  Operation,
  ParameterSpec,
  ResponseSpec,
} from './types.js'

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const
type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Lists every operation of a dereferenced OpenAPI document. */
export function readOperations(file: string, doc: Obj): Operation[] {
  const paths = doc.paths as Obj
  const rootSecurity = Array.isArray(doc.security) ? doc.security : undefined
  const operations: Operation[] = []
  const ids = new Set<string>()
  for (const [path, item] of Object.entries(paths)) {
    if (!isObj(item)) throw bad(file, `/paths/${pointer(path)}`, 'a path item must be an object')
    if (!path.startsWith('/'))
      throw bad(file, `/paths/${pointer(path)}`, 'a path must start with "/"')
    const shared = Array.isArray(item.parameters) ? item.parameters : []
    for (const method of METHODS) {
      const op = item[method]
      if (op === undefined) continue
      const where = `/paths/${pointer(path)}/${method}`
      if (!isObj(op)) throw bad(file, where, 'an operation must be an object')
      let id = findOperationId(op) ?? deriveId(method, path)
      for (let n = 2; ids.has(id); n++) id = `${findOperationId(op) ?? deriveId(method, path)}_${n}`
      ids.add(id)
      const security = Array.isArray(op.security) ? op.security : rootSecurity
      operations.push({
        id,
        method,
        path,
        ...(typeof op.summary === 'string' ? { summary: op.summary } : {}),
        deprecated: op.deprecated === true,
        parameters: readParameters(file, where, [
          ...shared,
          ...(Array.isArray(op.parameters) ? op.parameters : []),
        ]),
        ...readBody(op),
        responses: readResponses(file, where, op.responses),
        secured:
          Array.isArray(security) &&
          security.some((req) => isObj(req) && Object.keys(req).length > 0),
        privileges: Object.freeze(readPrivileges(op, security)),
        extensions: Object.fromEntries(Object.entries(op).filter(([k]) => k.startsWith('x-'))),
      })
    }
  }
  return operations
}

function bad(file: string, where: string, message: string): SandboxConfigError {
  return new SandboxConfigError(
    SANDBOX_ERRORS.BAD_CONTRACT,
    `contract ${file}: at ${where}: ${message}.`,
    { file },
  )
}

/** JSON Pointer escaping of a path key. */
const pointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1')

/** `operationId`, else the first `x-operationId` found in the operation (real contracts nest it in responses). */
function findOperationId(op: Obj): string | undefined {
  if (typeof op.operationId === 'string' && op.operationId) return op.operationId
  if (typeof op['x-operationId'] === 'string') return op['x-operationId']
  const responses = isObj(op.responses) ? op.responses : {}
  // Success responses first: that is where API Entreprise puts it.
  const ordered = Object.entries(responses).sort(([a], [b]) => rank(a) - rank(b))
  for (const [, response] of ordered) {
    if (!isObj(response)) continue
    if (typeof response['x-operationId'] === 'string') return response['x-operationId']
    for (const media of Object.values(isObj(response.content) ? response.content : {})) {
      if (isObj(media) && typeof media['x-operationId'] === 'string') return media['x-operationId']
    }
  }
  return undefined
}

const rank = (status: string): number => (status.startsWith('2') ? 0 : 1)

/** `get /v3/items/{id}` → `get_v3_items_id`. */
export function deriveId(method: string, path: string): string {
  const tail = path
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
  return `${method}_${tail || 'root'}`
}

function readParameters(file: string, where: string, list: unknown[]): ParameterSpec[] {
  const byKey = new Map<string, ParameterSpec>()
  list.forEach((p, i) => {
    if (!isObj(p) || typeof p.name !== 'string' || typeof p.in !== 'string') {
      throw bad(file, `${where}/parameters/${i}`, 'a parameter needs a string "name" and "in"')
    }
    if (!['path', 'query', 'header', 'cookie'].includes(p.in)) {
      throw bad(
        file,
        `${where}/parameters/${i}`,
        `"in" must be path, query, header or cookie, not "${p.in}"`,
      )
    }
    const examples: unknown[] = []
    if (p.example !== undefined) examples.push(p.example)
    if (isObj(p.examples))
      for (const e of Object.values(p.examples))
        if (isObj(e) && 'value' in e) examples.push(e.value)
    const schema = isObj(p.schema) ? p.schema : (firstMediaSchema(p.content) ?? {})
    // Operation-level parameters override path-level ones with the same name and location.
    byKey.set(`${p.in}:${p.name}`, {
      name: p.name,
      in: p.in as ParameterSpec['in'],
      required: p.in === 'path' ? true : p.required === true,
      schema,
      examples,
      ...(typeof p.style === 'string' ? { style: p.style } : {}),
      ...(typeof p.explode === 'boolean' ? { explode: p.explode } : {}),
      ...(!isObj(p.schema) && isObj(p.content) && Object.keys(p.content)[0]
        ? { mediaType: Object.keys(p.content)[0] }
        : {}),
    })
  })
  return [...byKey.values()]
}

function firstMediaSchema(content: unknown): JsonSchema | undefined {
  if (!isObj(content)) return undefined
  for (const media of Object.values(content))
    if (isObj(media) && isObj(media.schema)) return media.schema
  return undefined
}

function readBody(op: Obj): Pick<Operation, 'requestBody'> {
  const body = op.requestBody
  if (!isObj(body) || !isObj(body.content)) return {}
  const [contentType, media] = pickMedia(body.content)
  if (!contentType) return {}
  return {
    requestBody: {
      required: body.required === true,
      contentType,
      ...(isObj(media) && isObj(media.schema) ? { schema: media.schema } : {}),
    },
  }
}

/** Prefers a JSON media type, else the first one declared. */
function pickMedia(content: Obj): [string | undefined, unknown] {
  const keys = Object.keys(content)
  const json = keys.find((k) => /json/i.test(k)) ?? keys[0]
  return [json, json ? content[json] : undefined]
}

function readResponses(
  file: string,
  where: string,
  responses: unknown,
): Record<string, ResponseSpec> {
  if (responses === undefined) return {}
  if (!isObj(responses)) throw bad(file, `${where}/responses`, 'responses must be an object')
  const out: Record<string, ResponseSpec> = {}
  for (const [status, r] of Object.entries(responses)) {
    if (status.startsWith('x-')) continue
    if (!/^([1-5]\d\d|[1-5]XX|default)$/i.test(status)) {
      throw bad(
        file,
        `${where}/responses/${status}`,
        'a response key must be a status code, 4XX-style range or "default"',
      )
    }
    if (!isObj(r)) throw bad(file, `${where}/responses/${status}`, 'a response must be an object')
    const [contentType, media] = isObj(r.content) ? pickMedia(r.content) : [undefined, undefined]
    const examples = isObj(media) ? mediaExamples(media) : []
    const all: MediaSpec[] = Object.entries(isObj(r.content) ? r.content : {}).map(([type, m]) => ({
      type,
      ...(isObj(m) && isObj(m.schema) ? { schema: m.schema } : {}),
      examples: isObj(m) ? mediaExamples(m) : [],
    }))
    out[status] = {
      status,
      description: typeof r.description === 'string' ? r.description : '',
      ...(contentType ? { contentType } : {}),
      ...(isObj(media) && isObj(media.schema) ? { schema: media.schema } : {}),
      examples,
      headers: isObj(r.headers) ? Object.keys(r.headers) : [],
      media: all,
    }
  }
  return out
}

/** A Media Type Object's `example` and every `examples.*.value`. */
function mediaExamples(media: Obj): NamedExample[] {
  const examples: NamedExample[] = []
  if (media.example !== undefined) examples.push({ name: 'example', value: media.example })
  if (isObj(media.examples)) {
    for (const [name, e] of Object.entries(media.examples))
      if (isObj(e) && 'value' in e) examples.push({ name, value: e.value })
  }
  return examples
}

function readPrivileges(op: Obj, security: unknown[] | undefined): string[] {
  const set = new Set<string>()
  const ext = op['x-sandbox-privilege']
  if (typeof ext === 'string') set.add(ext)
  if (Array.isArray(ext)) for (const p of ext) if (typeof p === 'string') set.add(p)
  for (const req of security ?? []) {
    if (!isObj(req)) continue
    for (const scopes of Object.values(req))
      if (Array.isArray(scopes)) for (const s of scopes) if (typeof s === 'string') set.add(s)
  }
  return [...set]
}
