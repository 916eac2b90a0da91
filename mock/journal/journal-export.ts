import { snakeCase, toWire } from '../http/wire.js'
import type { JournalEntry } from './journal-entry.js'

/** The CSV export's columns, in order: one per entry field (headed in snake_case). */
export const CSV_COLUMNS = [
  'id',
  'kind',
  'at',
  'sandboxAt',
  'clientId',
  'jti',
  'authMode',
  'scopes',
  'tokenExpiresAt',
  'singleUse',
  'ip',
  'method',
  'path',
  'operation',
  'privileges',
  'rateGroup',
  'ref',
  'context',
  'recipient',
  'object',
  'status',
  'code',
  'scenario',
  'retryAfter',
  'retryIn',
  'outcome',
  'banned',
  'banUntil',
  'stalled',
  'latencyMs',
  'bytes',
  'clientClosed',
  'clientClosedAfterMs',
  'fields',
  'withheld',
  'fieldScopes',
  'origin',
  'notes',
  'api',
] as const satisfies ReadonlyArray<keyof JournalEntry>

/**
 * Lines of an export: JSON Lines (one entry per line, field names in snake_case) or CSV (RFC 4180, a header line,
 * lists joined by spaces, `ref` as `name=value` pairs joined by `&`, `notes` as JSON).
 */
export async function* exportLines(
  entries: AsyncIterable<JournalEntry>,
  format: 'jsonl' | 'csv',
): AsyncGenerator<string> {
  if (format === 'csv') yield `${CSV_COLUMNS.map(snakeCase).join(',')}\r\n`
  for await (const entry of entries) {
    yield format === 'jsonl' ? `${JSON.stringify(toWire(entry))}\n` : `${csvRow(entry)}\r\n`
  }
}

/** One entry as a CSV record (no line break). */
export function csvRow(entry: JournalEntry): string {
  return CSV_COLUMNS.map((column) => csvCell(cellText(entry[column]))).join(',')
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (Array.isArray(value)) return value.join(' ')
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>
    const flat = Object.values(record).every((v) => typeof v === 'string')
    return flat
      ? Object.entries(record)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join('&')
      : JSON.stringify(record)
  }
  return String(value)
}

/**
 * Quotes a cell when it holds a comma, quote or line break. A cell a spreadsheet would read as a
 * formula (`=`, `+`, `-`, `@` first, as a client-chosen `object` may be) gets a leading quote mark.
 */
function csvCell(text: string): string {
  // OWASP's rule, without exception: `-2+3+cmd|...` starts like a negative number and is a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
