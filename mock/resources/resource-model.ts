import type { Contract, JsonSchema, Operation } from '../contract/types.js'

/** What a contract operation does to the resources of its collection. */
export type ResourceAction =
  'create' | 'list' | 'read' | 'replace' | 'patch' | 'delete' | 'transition'

/** A status change an action operation makes (`x-sandbox-transition`). */
export interface TransitionSpec {
  to: string
  /** Statuses it may start from; empty: any. */
  from: readonly string[]
}

/** A stateful operation: its collection, its part in the resource's life, and where its fields are. */
export interface ResourceOperation {
  action: ResourceAction
  /** Path template of the collection, e.g. `/edi/v1/declarations`. */
  collection: string
  /** Name of the item path's identifier parameter (`id_declaration`). */
  idParam: string
  /** The resource's schema (the create operation's success response, envelope removed). */
  schema: JsonSchema
  /** Property holding the identifier in a representation. */
  idField: string
  /** Where the resource sits in a response body: `[]` at the root, `['data']` in a `data` envelope. */
  envelope: readonly string[]
  /** Status property and its values, when the resource has one. */
  statusField?: string
  statuses?: readonly string[]
  /** Date-time property updated when the status changes (`date_statut`, `status_updated_at`). */
  statusDateField?: string
  /** Statuses in which the resource may still be replaced, patched or deleted (`x-sandbox-editable-in`). */
  editableIn?: readonly string[]
  transition?: TransitionSpec
  /** True when the operation's answers (or the item's reads) declare an `ETag` header. */
  etag: boolean
}

const props = (s: JsonSchema | undefined): Record<string, JsonSchema> =>
  ((s?.properties as Record<string, JsonSchema> | undefined) ?? {}) as Record<string, JsonSchema>

/** The first 2XX response of an operation, its status and schema. */
export function successResponse(op: Operation): { status: number; schema?: JsonSchema } {
  const key = Object.keys(op.responses).find((s) => /^2\d\d$/.test(s))
  const status = key ? Number(key) : op.method === 'post' ? 201 : 200
  const schema = key ? op.responses[key]?.schema : undefined
  return { status, ...(schema ? { schema } : {}) }
}

const ITEM = /^(.*)\/\{([^}/]+)\}$/
const ACTION = /^(.*)\/\{([^}/]+)\}\/[^{}/]+$/

/**
 * Finds the contract's stateful collections: a path `/x` with a `POST` and a path `/x/{id}` beside
 * it. `POST /x` creates, `GET /x` lists, `GET|PUT|PATCH|DELETE /x/{id}` read, replace, patch and
 * delete, `POST /x/{id}/verb` with `x-sandbox-transition` changes the status. Other operations (reads
 * of a read-only API) are left to the generator. Keyed by operation id.
 */
export function findResourceOperations(contract: Contract): Map<string, ResourceOperation> {
  const byPath = new Map<string, Map<string, Operation>>()
  for (const op of contract.operations) {
    let m = byPath.get(op.path)
    if (!m) byPath.set(op.path, (m = new Map()))
    m.set(op.method, op)
  }
  const out = new Map<string, ResourceOperation>()
  for (const [path, methods] of byPath) {
    const create = methods.get('post')
    if (!create) continue
    const itemPath = [...byPath.keys()].find((p) => ITEM.exec(p)?.[1] === path)
    if (!itemPath) continue
    const idParam = ITEM.exec(itemPath)![2]!
    const created = successResponse(create).schema
    const located = locateResource(created, idParam)
    if (!located) continue
    const { schema, envelope, idField } = located
    const status = findStatus(schema)
    const etag = [...(byPath.get(itemPath)?.values() ?? []), create].some((op) =>
      Object.values(op.responses).some((r) => r.headers.some((h) => h.toLowerCase() === 'etag')),
    )
    const base = {
      collection: path,
      idParam,
      schema,
      idField,
      envelope,
      etag,
      ...(status ?? {}),
      ...(findStatusDate(schema, status?.statusField) ?? {}),
    }
    out.set(create.id, { ...base, action: 'create', ...editable(create) })
    const list = methods.get('get')
    if (list) out.set(list.id, { ...base, action: 'list' })
    const actions: Record<string, ResourceAction> = {
      get: 'read',
      put: 'replace',
      patch: 'patch',
      delete: 'delete',
    }
    for (const [method, op] of byPath.get(itemPath) ?? []) {
      const action = actions[method]
      if (action) out.set(op.id, { ...base, action, ...editable(op) })
    }
    for (const [p, ms] of byPath) {
      const m = ACTION.exec(p)
      if (!m || m[1] !== path) continue
      const op = ms.get('post')
      const t = op ? transitionOf(op) : undefined
      if (op && t) out.set(op.id, { ...base, action: 'transition', idParam: m[2]!, transition: t })
    }
  }
  return out
}

/** The resource in a response schema: at the root when it has the identifier, else under `data`. */
function locateResource(
  schema: JsonSchema | undefined,
  idParam: string,
): { schema: JsonSchema; envelope: string[]; idField: string } | undefined {
  if (!schema) return undefined
  const at = (s: JsonSchema): string | undefined => idFieldOf(s, idParam)
  const root = at(schema)
  if (root) return { schema, envelope: [], idField: root }
  for (const name of ['data', 'item', 'resource', 'result']) {
    const inner = props(schema)[name]
    const field = inner && inner.type !== 'array' ? at(inner) : undefined
    if (inner && field) return { schema: inner, envelope: [name], idField: field }
  }
  return undefined
}

function idFieldOf(schema: JsonSchema, idParam: string): string | undefined {
  const names = Object.keys(props(schema))
  if (names.includes(idParam)) return idParam
  if (names.includes('id')) return 'id'
  return names.find((n) => /(^|_)id$|Id$|^identifiant/.test(n))
}

function findStatus(
  schema: JsonSchema,
): { statusField: string; statuses: readonly string[] } | undefined {
  for (const [name, s] of Object.entries(props(schema))) {
    if (!/^(status|statut|state|etat|état)$|_(status|statut|state)$|Status$/i.test(name)) continue
    const values = s.enum
    if (Array.isArray(values) && values.every((v) => typeof v === 'string'))
      return { statusField: name, statuses: values as string[] }
  }
  return undefined
}

function findStatusDate(
  schema: JsonSchema,
  statusField: string | undefined,
): { statusDateField: string } | undefined {
  if (!statusField) return undefined
  const name = Object.entries(props(schema)).find(
    ([n, s]) => n !== statusField && s.format === 'date-time' && /statu|state/i.test(n),
  )?.[0]
  return name ? { statusDateField: name } : undefined
}

function editable(op: Operation): { editableIn?: readonly string[] } {
  const v = op.extensions['x-sandbox-editable-in']
  return Array.isArray(v) ? { editableIn: v.map(String) } : {}
}

function transitionOf(op: Operation): TransitionSpec | undefined {
  const v = op.extensions['x-sandbox-transition'] as { to?: unknown; from?: unknown } | undefined
  if (!v || typeof v.to !== 'string') return undefined
  return { to: v.to, from: Array.isArray(v.from) ? v.from.map(String) : [] }
}

/** Property names of a schema that hold date-times. */
export function dateTimeFields(schema: JsonSchema): string[] {
  return Object.entries(props(schema))
    .filter(([, s]) => s.format === 'date-time')
    .map(([n]) => n)
}

/** Property names a schema declares. */
export const propertyNames = (schema: JsonSchema): string[] => Object.keys(props(schema))

/** A property's schema. */
export const propertySchema = (schema: JsonSchema, name: string): JsonSchema | undefined =>
  props(schema)[name]
