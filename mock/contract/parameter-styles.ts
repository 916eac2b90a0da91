/**
 * Reads a parameter's value from a request the way OpenAPI's `style` and `explode` say it is
 * written: `form` (default in query and cookie), `spaceDelimited`, `pipeDelimited`, `deepObject`,
 * `simple` (default in path and header), `label` and `matrix`, for primitives, arrays and objects.
 * Values stay strings: coercion to the schema's types comes after, in validation.
 */
import type { JsonSchema, ParameterSpec } from './types.js'

type Raw = string | string[] | undefined
export type ParameterValue = string | string[] | Record<string, string | string[]>

type Shape = 'array' | 'object' | 'primitive'

/** Whether a parameter's schema describes an array, an object, or a single value. */
export function shapeOf(schema: JsonSchema): Shape {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type
  if (type === 'array' || (type === undefined && schema.items !== undefined)) return 'array'
  if (type === 'object' || (type === undefined && typeof schema.properties === 'object'))
    return 'object'
  return 'primitive'
}

const defaultStyle = (p: ParameterSpec): string =>
  p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple'

/** `explode` as declared, else OpenAPI's default: true for `form`, false for every other style. */
const explodeOf = (p: ParameterSpec, style: string): boolean => p.explode ?? style === 'form'

/** `k1,v1,k2,v2` → `{k1: v1, k2: v2}`. */
function pairs(list: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i + 1 < list.length; i += 2) out[list[i]!] = list[i + 1]!
  return out
}

/** `k1=v1,k2=v2` (already split) → `{k1: v1, k2: v2}`. */
function assignments(list: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of list) {
    const eq = item.indexOf('=')
    if (eq > 0) out[item.slice(0, eq)] = item.slice(eq + 1)
  }
  return out
}

const lastOf = (v: Raw): string | undefined => (Array.isArray(v) ? v[v.length - 1] : v)
const listOf = (v: Raw): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])

/** Reads a query parameter from the parsed query string. */
export function readQuery(
  p: ParameterSpec,
  query: Readonly<Record<string, string | string[] | undefined>>,
): ParameterValue | undefined {
  if (p.mediaType) return lastOf(query[p.name])
  const style = p.style ?? 'form'
  const explode = explodeOf(p, style)
  const shape = shapeOf(p.schema)
  if (style === 'deepObject' || (shape === 'object' && query[p.name] === undefined)) {
    // `name[prop]=v` (deepObject), or the properties as keys of their own (form, exploded).
    const prefix = `${p.name}[`
    const out: Record<string, string | string[]> = {}
    let found = false
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue
      if (key.startsWith(prefix) && key.endsWith(']')) {
        out[key.slice(prefix.length, -1).replace(/\]\[/g, '.')] = value
        found = true
      }
    }
    if (!found && style !== 'deepObject' && explode && shape === 'object') {
      const props = (p.schema.properties ?? {}) as Record<string, unknown>
      for (const name of Object.keys(props)) {
        const value = query[name]
        if (value !== undefined) {
          out[name] = value
          found = true
        }
      }
    }
    return found ? out : undefined
  }
  const raw = query[p.name]
  if (raw === undefined) return undefined
  if (shape === 'array') {
    if (style === 'spaceDelimited') return listOf(raw).flatMap((v) => v.split(' '))
    if (style === 'pipeDelimited') return listOf(raw).flatMap((v) => v.split('|'))
    return explode ? listOf(raw) : listOf(raw).flatMap((v) => v.split(','))
  }
  if (shape === 'object') {
    const text = lastOf(raw) ?? ''
    const sep = style === 'spaceDelimited' ? ' ' : style === 'pipeDelimited' ? '|' : ','
    return pairs(text.split(sep))
  }
  return raw
}

/** Reads a path parameter from its (decoded) segment, as `simple`, `label` or `matrix` write it. */
export function readPath(
  p: ParameterSpec,
  segment: string | undefined,
): ParameterValue | undefined {
  if (segment === undefined) return undefined
  const style = p.style ?? defaultStyle(p)
  const explode = explodeOf(p, style)
  const shape = shapeOf(p.schema)
  let text = segment
  let items: string[]
  if (style === 'label') {
    text = text.startsWith('.') ? text.slice(1) : text
    items = text.split(explode ? '.' : ',')
  } else if (style === 'matrix') {
    // `;id=5`, `;id=3,4,5`, `;id=3;id=4`, `;role=admin;name=Alex`.
    const parts = text.split(';').filter(Boolean)
    if (shape === 'object' && explode) return assignments(parts)
    const prefix = `${p.name}=`
    const values = parts.filter((x) => x.startsWith(prefix)).map((x) => x.slice(prefix.length))
    if (values.length === 0) return shape === 'primitive' ? text : undefined
    items = explode ? values : values.flatMap((v) => v.split(','))
    if (shape === 'primitive') return values[0]
    if (shape === 'object') return pairs(items)
    return items
  } else items = text.split(',')
  if (shape === 'array') return items
  if (shape === 'object') return explode ? assignments(items) : pairs(items)
  return style === 'label' ? text : segment
}

/** Reads a header parameter (`simple` style). */
export function readHeader(p: ParameterSpec, value: Raw): ParameterValue | undefined {
  if (value === undefined) return undefined
  const text = Array.isArray(value) ? value.join(',') : value
  const shape = shapeOf(p.schema)
  if (shape === 'array') return text.split(',').map((s) => s.trim())
  if (shape === 'object') {
    const items = text.split(',').map((s) => s.trim())
    return p.explode ? assignments(items) : pairs(items)
  }
  return text
}
