/**
 * Answers in the media type the operation declares and the client accepts: content negotiation on
 * `Accept` (RFC 9110 §12.5.1: quality values, `type/*` and `*\/*` ranges, the most specific range
 * wins), and a body written in that type from the generated value: JSON and `+json` types, CSV rows,
 * YAML, XML following the schema's `xml` hints, plain text, HTML, a real one-page PDF, small valid
 * PNG and GIF images, an empty ZIP archive, else the value's bytes.
 */
import type { JsonSchema, MediaSpec } from '../contract/types.js'
import { yamlLib } from '../yaml/yaml-lib.js'
import { renderPdf, type PdfLine } from './pdf.js'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

interface Range {
  type: string
  subtype: string
  q: number
  /** 0 for `*\/*`, 1 for `type/*`, 2 for `type/subtype`, 3 with parameters. */
  specificity: number
  params: Record<string, string>
}

/** The media ranges of an `Accept` header, as written (order kept). */
export function parseAccept(header: string): Range[] {
  const ranges: Range[] = []
  for (const part of header.split(',')) {
    const [range, ...rest] = part.trim().split(';')
    const [type, subtype] = (range ?? '').trim().toLowerCase().split('/')
    if (!type || !subtype) continue
    let q = 1
    const params: Record<string, string> = {}
    for (const p of rest) {
      const [k, v] = p.split('=').map((s) => s.trim())
      if (!k || v === undefined) continue
      if (k.toLowerCase() === 'q') {
        const n = Number(v)
        q = Number.isFinite(n) ? Math.min(Math.max(n, 0), 1) : 1
      } else params[k.toLowerCase()] = v.replace(/^"|"$/g, '').toLowerCase()
    }
    const specificity = type === '*' ? 0 : subtype === '*' ? 1 : Object.keys(params).length ? 3 : 2
    ranges.push({ type, subtype, q, specificity, params })
  }
  return ranges
}

/** `application/json; charset=utf-8` → `application/json`. */
export const essence = (mediaType: string): string =>
  (mediaType.split(';')[0] ?? '').trim().toLowerCase()

/** JSON itself, a `+json` suffix, or a JSON-based type such as `application/x-ndjson`. */
export const isJsonType = (mediaType: string): boolean =>
  /^application\/json$|[+/]json$|^application\/(x-)?ndjson$|^\*\/\*$/.test(essence(mediaType))

/** The quality the ranges give a media type: the most specific range that matches it. */
function quality(ranges: Range[], offered: string): number {
  const [type, subtype] = essence(offered).split('/')
  let best: Range | undefined
  for (const r of ranges) {
    const matches =
      (r.type === '*' || r.type === type) &&
      (r.subtype === '*' || r.subtype === subtype || (r.type === '*' && r.subtype === '*'))
    if (matches && (!best || r.specificity > best.specificity)) best = r
  }
  return best?.q ?? 0
}

/**
 * The declared media type to answer in: the one the client accepts best (ties: the contract's
 * order, JSON first when the client accepts anything). No `Accept`, or `*\/*`: JSON when declared,
 * else the first declared type. `null` when the client accepts none of them (a 406).
 */
export function negotiate(accept: string | undefined, offered: readonly string[]): string | null {
  if (offered.length === 0) return null
  const preferred = [...offered].sort((a, b) => Number(isJsonType(b)) - Number(isJsonType(a)))
  if (!accept || !accept.trim()) return preferred[0]!
  const ranges = parseAccept(accept)
  if (ranges.length === 0) return preferred[0]!
  let chosen: string | null = null
  let bestQ = 0
  let bestSpecific = -1
  for (const type of preferred) {
    const q = quality(ranges, type)
    // A type named outright beats a wildcard of the same quality (`text/csv, */*` → CSV).
    const specific = Math.max(
      -1,
      ...ranges
        .filter((r) => r.type === essence(type).split('/')[0] && r.q === q)
        .map((r) => r.specificity),
    )
    if (q > bestQ || (q === bestQ && q > 0 && specific > bestSpecific)) {
      chosen = type
      bestQ = q
      bestSpecific = specific
    }
  }
  return bestQ > 0 ? chosen : null
}

/** What the body of a non-JSON answer says beside the generated value (PDF title, XML root...). */
export interface MediaContext {
  /** The operation's summary, else its id. */
  title: string
  /** The request's own parameter values, written into documents. */
  params: Readonly<Record<string, string>>
}

export interface RenderedBody {
  raw: string | Buffer
  contentType: string
}

/** The media type as the `Content-Type` to send: declared parameters kept, UTF-8 said for text. */
function headerFor(mediaType: string): string {
  const declared = mediaType.trim()
  const base = essence(declared)
  if (/charset=/i.test(declared)) return declared
  if (
    base.startsWith('text/') ||
    isJsonType(base) ||
    /[+/](xml|yaml)$|^application\/x-yaml$/.test(base)
  )
    return `${declared}; charset=utf-8`
  return declared
}

/**
 * Writes `value` (generated from `media.schema`, or the media's example) as a body of `media.type`.
 * A string example of a textual type (CSV text, YAML text, an XML document) is sent as written.
 */
export function renderBody(media: MediaSpec, value: unknown, context: MediaContext): RenderedBody {
  const type = essence(media.type)
  const contentType = headerFor(media.type)
  if (/^application\/(x-)?ndjson$|^application\/jsonl$/.test(type)) {
    const rows = Array.isArray(value) ? value : [value]
    return { raw: rows.map((r) => JSON.stringify(r)).join('\n') + '\n', contentType }
  }
  if (isJsonType(type)) return { raw: JSON.stringify(value ?? null), contentType }
  if (type === 'text/csv' || type === 'application/csv' || type === 'text/tab-separated-values') {
    const sep = type === 'text/tab-separated-values' ? '\t' : ','
    return { raw: toCsv(value, sep), contentType }
  }
  if (/^(application|text)\/(x-)?yaml$|\+yaml$/.test(type)) {
    const text =
      typeof value === 'string' && /[:\n]/.test(value) ? value : yamlLib().stringify(value ?? null)
    return { raw: text, contentType }
  }
  if (/^(application|text)\/xml$|\+xml$/.test(type) && type !== 'image/svg+xml') {
    const text =
      typeof value === 'string' && value.trimStart().startsWith('<')
        ? value
        : `<?xml version="1.0" encoding="UTF-8"?>\n${toXml(value, media.schema ?? {}, rootName(media.schema, context.title))}\n`
    return { raw: text, contentType }
  }
  if (type === 'text/html' || type === 'application/xhtml+xml') {
    const body = typeof value === 'string' ? value : JSON.stringify(value, null, 2)
    const html =
      typeof value === 'string' && /<html[\s>]/i.test(value)
        ? value
        : `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeXml(context.title)}</title></head><body><h1>${escapeXml(context.title)}</h1><pre>${escapeXml(body ?? '')}</pre></body></html>\n`
    return { raw: html, contentType }
  }
  if (type.startsWith('text/')) {
    const text =
      typeof value === 'string'
        ? value
        : value === undefined || value === null
          ? ''
          : typeof value === 'object'
            ? JSON.stringify(value, null, 2)
            : String(value)
    return { raw: text, contentType }
  }
  if (type === 'application/pdf') return { raw: renderPdf(pdfLines(value, context)), contentType }
  if (type === 'image/svg+xml') {
    const label = escapeXml(context.title)
    return {
      raw: `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="24">${label}</text></svg>\n`,
      contentType,
    }
  }
  const bytes = BINARY[type]
  if (bytes) return { raw: Buffer.from(bytes, 'base64'), contentType }
  if (type === 'application/gzip' || type === 'application/x-gzip')
    return {
      // node:zlib is loaded by the first gzip answer, not at start-up.
      raw: process
        .getBuiltinModule('node:zlib')
        .gzipSync(Buffer.from(JSON.stringify(value ?? null))),
      contentType,
    }
  // Any other type (octet-stream, audio, an unknown vendor type): the value's bytes.
  const raw =
    typeof value === 'string'
      ? Buffer.from(
          value,
          /^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0 ? 'base64' : 'utf8',
        )
      : Buffer.from(JSON.stringify(value ?? null))
  return { raw, contentType }
}

/** Small valid files, base64: a 1×1 PNG, a 1×1 GIF, an empty ZIP archive. */
const BINARY: Record<string, string> = {
  'image/png':
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'image/gif': 'R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==',
  'application/zip': 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==',
}

/** RFC 4180 cell: quoted when it holds the separator, a quote or a line break; formulas neutralised. */
function csvCell(value: unknown, sep: string): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  let text = typeof value === 'string' ? value : JSON.stringify(value)
  // A spreadsheet would run a cell starting with =, +, - or @ as a formula (numbers are not strings here).
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return text.includes(sep) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The rows a value stands for: an array of records, a record holding one, or one record. */
function rowsOf(value: unknown): Obj[] | undefined {
  if (Array.isArray(value)) return value.every(isObj) && value.length ? (value as Obj[]) : undefined
  if (!isObj(value)) return undefined
  const lists = Object.values(value).filter(
    (v): v is Obj[] => Array.isArray(v) && v.length > 0 && v.every(isObj),
  )
  return lists.length === 1 ? lists[0] : [value]
}

/** A CSV table: one header line of column names, one line per record, CRLF line ends. */
export function toCsv(value: unknown, sep = ','): string {
  if (typeof value === 'string' && /[\n,;\t]/.test(value)) return value
  const rows = rowsOf(value)
  if (!rows) {
    const cells = Array.isArray(value) ? value : [value]
    return ['value', ...cells.map((c) => csvCell(c, sep))].join('\r\n') + '\r\n'
  }
  const columns: string[] = []
  for (const row of rows)
    for (const k of Object.keys(row)) if (!columns.includes(k)) columns.push(k)
  const lines = [columns.map((c) => csvCell(c, sep)).join(sep)]
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c], sep)).join(sep))
  return lines.join('\r\n') + '\r\n'
}

const escapeXml = (s: string): string =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  )

/** A valid XML name from a property name (`first-name` stays, `2fa` becomes `_2fa`). */
function xmlName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.:-]/g, '_')
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`
}

interface XmlHints {
  name?: string
  attribute?: boolean
  wrapped?: boolean
  prefix?: string
  namespace?: string
}

const hintsOf = (schema: unknown): XmlHints =>
  isObj(schema) && isObj(schema.xml) ? schema.xml : {}

/** The schema's properties, with those its `allOf` members declare. */
function propertiesOf(schema: unknown, depth = 0): Obj {
  if (!isObj(schema) || depth > 8) return {}
  const own = isObj(schema.properties) ? schema.properties : {}
  const merged: Obj = {}
  if (Array.isArray(schema.allOf))
    for (const part of schema.allOf) Object.assign(merged, propertiesOf(part, depth + 1))
  return { ...merged, ...own }
}

function rootName(schema: JsonSchema | undefined, title: string): string {
  const hinted = hintsOf(schema).name
  if (hinted) return hinted
  if (isObj(schema) && typeof schema.title === 'string') return xmlName(schema.title)
  return Array.isArray(schema?.items) || schema?.type === 'array'
    ? 'items'
    : xmlName(title) || 'response'
}

/** An element for `value` following the OpenAPI XML Object hints of `schema`. */
function toXml(
  value: unknown,
  schema: unknown,
  name: string,
  depth = 0,
  itemDefault = 'item',
): string {
  const hints = hintsOf(schema)
  const tag = xmlName(hints.prefix ? `${hints.prefix}:${hints.name ?? name}` : (hints.name ?? name))
  const ns = hints.namespace
    ? ` xmlns${hints.prefix ? `:${hints.prefix}` : ''}="${escapeXml(hints.namespace)}"`
    : ''
  if (value === null || value === undefined) return `<${tag}${ns}/>`
  if (depth > 64) return `<${tag}${ns}/>`
  if (Array.isArray(value)) {
    const items = isObj(schema) ? schema.items : undefined
    const itemName = hintsOf(items).name ?? itemDefault
    return `<${tag}${ns}>${value.map((v) => toXml(v, items, itemName, depth + 1)).join('')}</${tag}>`
  }
  if (!isObj(value)) return `<${tag}${ns}>${escapeXml(String(value))}</${tag}>`
  const props = propertiesOf(schema)
  let attributes = ''
  let children = ''
  for (const [key, child] of Object.entries(value)) {
    const childSchema = props[key]
    const childHints = hintsOf(childSchema)
    if (childHints.attribute && (child === null || typeof child !== 'object')) {
      attributes += ` ${xmlName(childHints.name ?? key)}="${escapeXml(String(child ?? ''))}"`
    } else if (Array.isArray(child) && !childHints.wrapped) {
      // Unwrapped arrays (the OpenAPI default): one element per item, named after the items.
      const items = isObj(childSchema) ? childSchema.items : undefined
      const itemName = hintsOf(items).name ?? childHints.name ?? key
      children += child.map((v) => toXml(v, items, itemName, depth + 1)).join('')
    } else {
      // A wrapped array's items are named after the property unless `items.xml.name` says otherwise.
      children += toXml(child, childSchema, key, depth + 1, key)
    }
  }
  return `<${tag}${ns}${attributes}>${children}</${tag}>`
}

/** The lines of a PDF document: its title, the request's parameters, then the value's fields. */
function pdfLines(value: unknown, context: MediaContext): PdfLine[] {
  const lines: PdfLine[] = [{ text: context.title, size: 16 }]
  for (const [k, v] of Object.entries(context.params)) lines.push({ text: `${k}: ${v}`, size: 10 })
  const fields: string[] = []
  const walk = (v: unknown, path: string): void => {
    if (fields.length >= 36) return
    if (Array.isArray(v)) v.slice(0, 5).forEach((x, i) => walk(x, `${path}[${i}]`))
    else if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k)
    else if (v !== undefined && !(typeof v === 'string' && v.length > 200))
      fields.push(`${path || 'value'}: ${String(v)}`)
  }
  walk(value, '')
  for (const f of fields) lines.push({ text: f.length > 95 ? `${f.slice(0, 94)}…` : f, size: 10 })
  return lines
}
