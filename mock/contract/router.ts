import FindMyWay from 'find-my-way'
import type { Operation } from './types.js'

/** What the router found for a method and path. */
export type RouteMatch =
  | { kind: 'operation'; operation: Operation; params: Record<string, string> }
  /** `api`: the API whose path it is, beside others. */
  | { kind: 'method-not-allowed'; allow: string[]; api?: string }
  | { kind: 'not-found' }

/**
 * Maps request paths to contract operations. One radix tree of path templates (find-my-way, fastify's
 * router: static segments win over parameters, as OpenAPI requires); each template holds its methods,
 * so a known path with another method yields 405 and the `Allow` list.
 */
export function createRouter(
  operations: readonly Operation[],
): (method: string, path: string) => RouteMatch {
  const tree = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: 500 })
  const byTemplate = new Map<string, Map<string, Operation>>()
  for (const op of operations) {
    let methods = byTemplate.get(op.path)
    if (!methods) {
      methods = new Map()
      byTemplate.set(op.path, methods)
      const route = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => `:${encodeName(name)}`)
      tree.on('GET', route, () => undefined, { template: op.path })
    }
    methods.set(op.method.toUpperCase(), op)
  }
  const find = (method: string, path: string): RouteMatch => {
    const found = tree.find('GET', path)
    if (!found) return { kind: 'not-found' }
    const template = (found.store as { template: string }).template
    const methods = byTemplate.get(template)!
    const wanted = method.toUpperCase()
    const op = methods.get(wanted) ?? (wanted === 'HEAD' ? methods.get('GET') : undefined)
    if (!op) {
      const allow = [...methods.keys()]
      if (methods.has('GET') && !methods.has('HEAD')) allow.push('HEAD')
      return { kind: 'method-not-allowed', allow: [...allow, 'OPTIONS'] }
    }
    const params: Record<string, string> = {}
    for (const [k, v] of Object.entries(found.params))
      if (v !== undefined) params[decodeName(k)] = v
    return { kind: 'operation', operation: op, params }
  }
  // Clients call the same paths again and again: a path's match is found once (within bounds; an
  // operation's path values are copied for each request, so that no request changes another's).
  const known = new Map<string, RouteMatch>()
  return (method, path) => {
    if (path.length > MAX_KEPT_PATH) return find(method, path)
    const key = `${method}\u0000${path}`
    let match = known.get(key)
    if (match === undefined) {
      match = find(method, path)
      if (match.kind === 'method-not-allowed') Object.freeze(match.allow)
      if (known.size >= MAX_KEPT_ROUTES) known.clear()
      known.set(key, match)
    }
    return match.kind === 'operation' ? { ...match, params: { ...match.params } } : match
  }
}

/** Longest request path whose route is remembered, characters. */
const MAX_KEPT_PATH = 512
/** Routes remembered (method and path); past it they start over. */
const MAX_KEPT_ROUTES = 1000

// find-my-way parameter names are word characters; OpenAPI allows more (e.g. `siret-or-eori`).
const encodeName = (name: string): string =>
  name.replace(/[^A-Za-z0-9_]/g, (c) => `_x${c.charCodeAt(0).toString(16)}_`)
const decoded = new Map<string, string>()
/** The OpenAPI name of a find-my-way parameter name (the contract's names only: decoded once each). */
const decodeName = (name: string): string => {
  let out = decoded.get(name)
  if (out === undefined) {
    out = name.replace(/_x([0-9a-f]+)_/g, (_, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    )
    decoded.set(name, out)
  }
  return out
}
