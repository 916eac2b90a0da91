import { describe, expect, it } from 'vitest'
import type { JournalEntry } from '../../mock/journal/journal-entry.js'
import { CSV_COLUMNS, csvRow, exportLines } from '../../mock/journal/journal-export.js'
import { makeEntry } from './make-entry.js'
import { snakeCase, toWire } from '../../mock/http/wire.js'

async function collect(entries: JournalEntry[], format: 'jsonl' | 'csv'): Promise<string> {
  async function* source(): AsyncGenerator<JournalEntry> {
    yield* entries
  }
  let out = ''
  for await (const line of exportLines(source(), format)) out += line
  return out
}

describe('journal export', () => {
  it('writes JSON Lines, one entry per line, field names in snake_case', async () => {
    const entries = [makeEntry({ path: '/a' }), makeEntry({ path: '/b' })]
    const text = await collect(entries, 'jsonl')
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual(entries.map(toWire))
    expect(text).toContain('"sandbox_at":')
    expect(text).not.toContain('sandboxAt')
  })

  it('writes CSV with a header line and one record per entry, CRLF-terminated', async () => {
    const text = await collect([makeEntry()], 'csv')
    const [header, row, rest] = text.split('\r\n')
    expect(header).toBe(CSV_COLUMNS.map(snakeCase).join(','))
    expect(header).toMatch(/^id,kind,at,sandbox_at,client_id,/)
    expect(row!.split(',')).toHaveLength(CSV_COLUMNS.length)
    expect(rest).toBe('')
  })

  it('quotes commas and quotes, joins lists with spaces and references as name=value pairs', () => {
    const row = csvRow(
      makeEntry({
        object: 'marché "A", lot 2',
        scopes: ['a', 'b'],
        ref: { siren: '418166096', year: '2024' },
      }),
    )
    expect(row).toContain('"marché ""A"", lot 2"')
    expect(row).toContain(',a b,')
    expect(row).toContain(',siren=418166096&year=2024,')
  })

  it('defuses cells a spreadsheet would run as formulas', () => {
    const row = csvRow(makeEntry({ object: '=HYPERLINK("http://evil")', context: '@SUM(A1)' }))
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`)
    expect(row).toContain("'@SUM(A1)")
    // OWASP's rule has no exception: a cell that looks like a negative number is quoted too.
    expect(csvRow(makeEntry({ object: '-2+3+cmd|calc' }))).toContain(",'-2+3+cmd|calc")
  })
})
