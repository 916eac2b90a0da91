/**
 * Does a candidate value satisfy a schema node's own constraints (type, enum, const, string and
 * number bounds, pattern, format)? The generator asks before it keeps a value suggested by a name
 * heuristic, the entity or an example, so that constraints always win over plausibility.
 * Object and array values are checked for their type only: their children are generated one by one.
 */
import type { SchemaNode } from './schema-node.js'

/** True when `value` satisfies `node` (see the module note for the depth of the check). */
export function fitsNode(value: unknown, node: SchemaNode): boolean {
  // OpenAPI 3.0's `nullable: true` admits null even beside an enum that does not list it (see
  // `contract/json-schema.ts`); a 3.1 enum must list it.
  if (value === null)
    return (
      node.nullable && (!node.enum || node.enum.includes(null) || node.schema.nullable === true)
    )
  if (value === undefined) return false
  if (node.hasConst && !sameValue(value, node.const)) return false
  if (node.enum && !node.enum.some((e) => sameValue(e, value))) return false
  if (node.types.length > 0 && !node.types.some((t) => isType(value, t))) return false
  if (typeof value === 'string') return fitsString(value, node)
  if (typeof value === 'number') return fitsNumber(value, node)
  return true
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string'
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'array':
      return Array.isArray(value)
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
    default:
      return true
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  return typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b)
}

/** Length in code points, as ajv counts it. */
export const codePoints = (s: string): number => {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    // The low half of a surrogate pair does not count: the pair is one character.
    if (
      c < 0xdc00 ||
      c > 0xdfff ||
      i === 0 ||
      s.charCodeAt(i - 1) < 0xd800 ||
      s.charCodeAt(i - 1) > 0xdbff
    )
      n++
  }
  return n
}

function fitsString(value: string, node: SchemaNode): boolean {
  if (node.minLength !== undefined || node.maxLength !== undefined) {
    const length = codePoints(value)
    if (node.minLength !== undefined && length < node.minLength) return false
    if (node.maxLength !== undefined && length > node.maxLength) return false
  }
  if (node.pattern && !node.pattern.test(value)) return false
  return node.format === undefined || fitsFormat(value, node.format)
}

/** True when `value` is a multiple of `m` by the test ajv runs (no precision tolerance). */
export const isMultipleOf = (value: number, m: number): boolean => {
  const q = value / m
  return q === Math.trunc(q)
}

function fitsNumber(value: number, node: SchemaNode): boolean {
  if (
    node.minimum !== undefined &&
    (node.exclusiveMin ? value <= node.minimum : value < node.minimum)
  )
    return false
  if (
    node.maximum !== undefined &&
    (node.exclusiveMax ? value >= node.maximum : value > node.maximum)
  )
    return false
  if (node.multipleOf !== undefined && !isMultipleOf(value, node.multipleOf)) return false
  if (node.format === 'int32') return Number.isInteger(value) && Math.abs(value) <= 2 ** 31
  return true
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const max = month === 2 && !leap ? 28 : DAYS[month - 1]
  return month >= 1 && month <= 12 && day >= 1 && max !== undefined && day <= max
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/i
const FORMATS: Record<string, (s: string) => boolean> = {
  date: isDate,
  'date-time': (s) => {
    const [day, time] = s.split(/t|\s/i)
    return day !== undefined && time !== undefined && isDate(day) && TIME.test(time)
  },
  time: (s) => TIME.test(s),
  email: (s) =>
    /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i.test(
      s,
    ),
  uri: (s) => /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(s),
  url: (s) => /^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(s),
  'uri-reference': (s) => !/\s/.test(s),
  uuid: (s) => /^(urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(s),
  ipv4: (s) =>
    /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(s),
  ipv6: (s) => /^[0-9a-f:]+$/i.test(s) && s.includes(':'),
  hostname: (s) =>
    /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$/i.test(
      s,
    ),
  byte: (s) => /^(?:[a-z0-9+/]{4})*(?:[a-z0-9+/]{2}==|[a-z0-9+/]{3}=)?$/i.test(s),
}

/** Checks the formats the generator knows; any other format is accepted, as validators ignore it. */
export function fitsFormat(value: string, format: string): boolean {
  const check = FORMATS[format]
  return check ? check(value) : true
}
