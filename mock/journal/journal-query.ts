import type { JournalFilter, StatusMatch } from './journal-backend.js'
import type { JournalKind } from './journal-entry.js'

/** What `GET /__sandbox/journal` asks for, once its query string is checked. */
export interface JournalRequest {
  filter: JournalFilter
  /** Entries per page (JSON format only). */
  limit: number
  cursor?: string
  /** `json` (a page), `jsonl` or `csv` (an export of every matching entry). */
  format: JournalFormat
}

export type JournalFormat = 'json' | 'jsonl' | 'csv'

/** Page size when `limit` is not given, and the largest accepted. */
export const PAGE_SIZE = { default: 100, max: 1000 } as const

const FORMATS = new Set<JournalFormat>(['json', 'jsonl', 'csv'])
/** Every parameter the journal takes (`client_id` is `client`'s other name). */
const PARAMETERS = [
  'client',
  'client_id',
  'operation',
  'api',
  'status',
  'kind',
  'from',
  'to',
  'limit',
  'cursor',
  'format',
]

const KINDS = new Set(['api', 'token', 'auth-failure', 'auth-event', 'callback'])

/**
 * Reads the journal's query string: `client`, `operation`, `status` (comma-separated: `429`, `4xx`,
 * `none`), `kind`, `from` and `to` (ISO 8601 or ms since the epoch), `limit`, `cursor`, `format`.
 * Returns the request, or a message saying which parameter is wrong and what it accepts.
 */
export function parseJournalQuery(
  query: Record<string, unknown>,
): JournalRequest | { error: string } {
  const text = (name: string): string | undefined => {
    const v = query[name]
    return typeof v === 'string' && v !== '' ? v : undefined
  }
  for (const [name, value] of Object.entries(query)) {
    if (!PARAMETERS.includes(name))
      return {
        error: `unknown parameter ${name}; the journal takes ${PARAMETERS.join(', ')}`,
      }
    if (typeof value !== 'string')
      return { error: `parameter ${name} is given more than once; give it once` }
  }
  const filter: JournalFilter = {}
  const client = text('client')
  if (client) filter.clientId = client
  const operation = text('operation')
  if (operation) filter.operation = operation
  const api = text('api')
  if (api) filter.api = api
  const kind = text('kind')
  if (kind) {
    if (!KINDS.has(kind))
      return { error: `kind must be one of api, token, auth-failure, auth-event; got ${kind}` }
    filter.kind = kind as JournalKind
  }
  const status = text('status')
  if (status) {
    const parsed = parseStatuses(status)
    if (!parsed)
      return {
        error: `status must be a comma-separated list of codes (429), classes (4xx) or none; got ${status}`,
      }
    filter.status = parsed
  }
  for (const bound of ['from', 'to'] as const) {
    const raw = text(bound)
    if (raw === undefined) continue
    const ms = parseInstant(raw)
    if (ms === undefined)
      return { error: `${bound} must be an ISO 8601 date-time or ms since the epoch; got ${raw}` }
    filter[bound] = ms
  }
  const limitText = text('limit')
  const limit = limitText === undefined ? PAGE_SIZE.default : Number(limitText)
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_SIZE.max) {
    return { error: `limit must be a whole number from 1 to ${PAGE_SIZE.max}; got ${limitText}` }
  }
  const format = (text('format') ?? 'json') as JournalFormat
  if (!FORMATS.has(format))
    return { error: `format must be json, jsonl or csv; got ${String(query.format)}` }
  const cursor = text('cursor')
  if (cursor !== undefined && !/^[\w:.-]{1,200}$/.test(cursor)) {
    return {
      error:
        'cursor is not one this journal gave: pass the "next" value of the previous page as it is',
    }
  }
  return { filter, limit, format, ...(cursor !== undefined ? { cursor } : {}) }
}

function parseStatuses(text: string): StatusMatch[] | undefined {
  const out: StatusMatch[] = []
  for (const part of text.split(',').map((p) => p.trim().toLowerCase())) {
    if (part === 'none') out.push('none')
    else if (/^[1-5]xx$/.test(part)) out.push({ class: Number(part[0]) })
    else if (/^[1-5]\d\d$/.test(part)) out.push({ code: Number(part) })
    else return undefined
  }
  return out
}

/** An ISO 8601 date-time or a number of ms since the epoch; `undefined` when it is neither. */
export function parseInstant(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text)
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? undefined : ms
}
