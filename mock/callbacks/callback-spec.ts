import type { Contract, JsonSchema, Operation } from '../contract/types.js'
import { contractPath } from '../apis/mount.js'

/** One call-back an operation declares (OpenAPI 3 `callbacks`). */
export interface CallbackSpec {
  /** Key of the `callbacks` map (`changementStatut`). */
  name: string
  /** The URL expression (`{$account.url}/notifications`, `{$request.body#/callbackUrl}`). */
  expression: string
  method: string
  /** Schema of the JSON body the receiver expects. */
  schema?: JsonSchema
}

/** The call-backs each operation declares, by operation id (operations without any are left out). */
export function readCallbacks(contract: Contract): Map<string, CallbackSpec[]> {
  const out = new Map<string, CallbackSpec[]>()
  const paths = (contract.document.paths ?? {}) as Record<string, Record<string, unknown>>
  for (const op of contract.operations) {
    const declared = (paths[contractPath(op)]?.[op.method] as { callbacks?: unknown } | undefined)
      ?.callbacks
    if (!declared || typeof declared !== 'object') continue
    const specs: CallbackSpec[] = []
    for (const [name, item] of Object.entries(declared as Record<string, unknown>)) {
      if (!item || typeof item !== 'object') continue
      for (const [expression, pathItem] of Object.entries(item as Record<string, unknown>)) {
        if (!pathItem || typeof pathItem !== 'object') continue
        for (const method of ['post', 'put', 'patch']) {
          const cbOp = (pathItem as Record<string, unknown>)[method] as
            { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } } | undefined
          if (!cbOp) continue
          const content = cbOp.requestBody?.content ?? {}
          const json = Object.keys(content).find((t) => /json/i.test(t)) ?? Object.keys(content)[0]
          const schema = json ? content[json]?.schema : undefined
          specs.push({ name, expression, method, ...(schema ? { schema } : {}) })
          break
        }
      }
    }
    if (specs.length > 0) out.set(op.id, specs)
  }
  return out
}

/** A pseudo-operation whose 200 answer is the call-back body, for the data generator. */
export function payloadOperation(owner: Operation, spec: CallbackSpec): Operation {
  return {
    id: `${owner.id}#${spec.name}`,
    method: spec.method,
    path: spec.expression,
    deprecated: false,
    parameters: [],
    responses: {
      '200': {
        status: '200',
        description: spec.name,
        ...(spec.schema ? { schema: spec.schema, contentType: 'application/json' } : {}),
        examples: [],
        headers: [],
      },
    },
    secured: false,
    privileges: [],
    extensions: {},
  }
}

/** Reads a JSON pointer (`/a/b/0`) in a value. */
export function pointer(value: unknown, ptr: string): unknown {
  if (ptr === '' || ptr === '/') return value
  return ptr
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      value,
    )
}

/**
 * Resolves a call-back URL expression: `{$account.url}` (the URL on the client's API account),
 * `{$request.body#/ptr}` (the resource's last request body), `{$response.body#/ptr}` (the resource as
 * the client sees it). `undefined` when a part cannot be resolved.
 */
export function resolveExpression(
  expression: string,
  sources: { accountUrl?: string; requestBody?: unknown; responseBody?: unknown },
): string | undefined {
  let missing = false
  const url = expression.replace(/\{([^}]+)\}/g, (_, expr: string) => {
    let v: unknown
    if (expr === '$account.url') v = sources.accountUrl?.replace(/\/+$/, '')
    else if (expr.startsWith('$request.body#')) v = pointer(sources.requestBody, expr.slice(14))
    else if (expr.startsWith('$response.body#')) v = pointer(sources.responseBody, expr.slice(15))
    if (typeof v !== 'string' && typeof v !== 'number') {
      missing = true
      return ''
    }
    return String(v)
  })
  return missing ? undefined : url
}

const EVENT_ID = /^(id_evenement|event_id|eventId|id_event|notification_id|notificationId)$/

/**
 * Writes the resource's values into a generated call-back body, by property name, the root and one
 * level down (`data.status`); the event id property gets the event's id.
 */
export function fillPayload(
  body: unknown,
  resource: Record<string, unknown>,
  eventId: string,
  schema?: JsonSchema,
  depth = 0,
): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body
  const o = body as Record<string, unknown>
  for (const key of Object.keys(o)) {
    if (EVENT_ID.test(key)) o[key] = eventId
    else if (Object.prototype.hasOwnProperty.call(resource, key))
      o[key] = structuredClone(resource[key])
    else if (depth < 1) fillPayload(o[key], resource, eventId, undefined, depth + 1)
  }
  // Optional properties the generator left out are filled too when the resource has them.
  const declared = (schema?.properties ?? {}) as Record<string, unknown>
  for (const key of Object.keys(declared))
    if (!(key in o) && Object.prototype.hasOwnProperty.call(resource, key))
      o[key] = structuredClone(resource[key])
  return o
}
