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
