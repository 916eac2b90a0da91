import { describe, expect, it } from 'vitest'
import { JournalBatchBuilder, lineRange, lineText } from '../../mock/journal/journal-batch.js'
import { toJournalLine } from '../../mock/journal/journal-line.js'
import { makeEntry } from './make-entry.js'

const texts = (batch: Parameters<typeof lineText>[0]): string[] =>
  Array.from({ length: batch.length }, (_, i) => lineText(batch, i))

describe('journal batch', () => {
  it('holds each line in UTF-8 with its newline, and its client id, whatever the size', () => {
    const builder = new JournalBatchBuilder()
    // Well past the first 256 KiB buffer, with multi-byte characters: the buffer grows.
    const lines = Array.from({ length: 600 }, (_, i) =>
      toJournalLine(makeEntry({ path: `/é😀/${'x'.repeat(i)}`, clientId: i % 2 ? 'a' : 'b' })),
    )
    for (const line of lines) builder.add(line)
    const batch = builder.take()
    expect(batch.length).toBe(600)
    expect(texts(batch)).toEqual(lines.map((l) => l.json))
    expect(batch.clientIds).toEqual(lines.map((l) => l.clientId))
    expect(batch.bytes.toString('utf8')).toBe(lines.map((l) => `${l.json}\n`).join(''))
    const [start, end] = lineRange(batch, 599)
    expect(batch.bytes[end]).toBe(0x0a)
    expect(JSON.parse(batch.bytes.toString('utf8', start, end))).toMatchObject({ clientId: 'a' })
    expect(builder.length).toBe(0)
  })

  it('writes an entry straight in as the very object JSON.stringify gives, lists from cached bytes', () => {
    const builder = new JournalBatchBuilder()
    const fields = Object.freeze(['data.dénomination', 'data.siège "principal"', 'links.😀[]'])
    const scopes = Object.freeze(['open_data', 'unites_legales_etablissements_insee'])
    const entries = Array.from({ length: 700 }, (_, i) =>
      makeEntry({
        path: `/é/${'x'.repeat(i)}`,
        fields: fields as string[],
        scopes: scopes as string[],
        // Unfrozen, with characters needing escapes: serialised as it is.
        withheld: [`data.a\n"${i}"`],
        privileges: i % 2 ? (scopes as string[]) : undefined,
      }),
    )
    for (const entry of entries) builder.addEntry(entry)
    const batch = builder.take()
    expect(batch.length).toBe(700)
    expect(batch.clientIds).toEqual(entries.map(() => 'acme'))
    const lines = texts(batch)
    for (let i = 0; i < entries.length; i++) {
      expect(lines[i]).toBe(toJournalLine(entries[i]!).json)
      expect(JSON.parse(lines[i]!)).toEqual(JSON.parse(JSON.stringify(entries[i])))
    }
    expect(batch.bytes.at(-1)).toBe(0x0a)
  })

  it('writes an entry of lists only without a stray comma', () => {
    const builder = new JournalBatchBuilder()
    const lists = { fields: Object.freeze(['a']) as string[], scopes: ['b'] }
    builder.addEntry(lists as never)
    expect(JSON.parse(lineText(builder.take(), 0))).toEqual({ scopes: ['b'], fields: ['a'] })
  })

  it('fills a recycled buffer again without touching a batch taken since', () => {
    const builder = new JournalBatchBuilder()
    builder.add(toJournalLine(makeEntry({ path: '/first' })))
    const first = builder.take()
    builder.add(toJournalLine(makeEntry({ path: '/second' })))
    builder.recycle(first) // the backend is done with the first batch
    const second = builder.take()
    builder.add(toJournalLine(makeEntry({ path: '/third' })))
    const third = builder.take()
    expect(JSON.parse(lineText(third, 0)).path).toBe('/third')
    expect(JSON.parse(lineText(second, 0)).path).toBe('/second')
    // The third batch went into the first one's buffer, handed back; the second kept its own.
    expect(third.bytes.buffer === first.bytes.buffer).toBe(true)
    expect(second.bytes.buffer === first.bytes.buffer).toBe(false)
  })
})
