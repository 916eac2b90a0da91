import { describe, expect, it, vi } from 'vitest'
import type { JournalBackend } from '../../mock/journal/journal-backend.js'
import { lineText } from '../../mock/journal/journal-batch.js'
import { createJournalWriter } from '../../mock/journal/journal-writer.js'
import { createMemoryJournalBackend } from '../../mock/journal/memory-backend.js'
import { makeEntry } from './make-entry.js'

/** A backend whose appends wait until the test releases them. */
function gatedBackend(): JournalBackend & { batches: string[][]; release: () => void } {
  const inner = createMemoryJournalBackend(1000)
  /** The lines of each batch, read when it arrives (its bytes are the writer's again afterwards). */
  const batches: string[][] = []
  let open!: () => void
  let gate = new Promise<void>((r) => (open = r))
  return {
    ...inner,
    batches,
    release: () => {
      open()
      gate = new Promise<void>((r) => (open = r))
    },
    append: async (batch) => {
      batches.push(Array.from({ length: batch.length }, (_, i) => lineText(batch, i)))
      await gate
      await inner.append(batch)
    },
  }
}

describe('journal writer', () => {
  it('never touches the backend while a request pushes, and writes the batch on the next flush', async () => {
    const backend = createMemoryJournalBackend(100)
    const append = vi.spyOn(backend, 'append')
    const writer = createJournalWriter(backend, { bufferEntries: 100, log: () => undefined })
    writer.push(makeEntry())
    writer.push(makeEntry())
    expect(append).not.toHaveBeenCalled()
    await writer.flush()
    expect(append).toHaveBeenCalledTimes(1)
    expect(writer.stats()).toEqual({ recorded: 2, written: 2, dropped: 0, pending: 0 })
  })

  it('writes on its own after the flush delay, on fake timers', async () => {
    vi.useFakeTimers()
    try {
      const backend = createMemoryJournalBackend(100)
      const writer = createJournalWriter(backend, {
        bufferEntries: 100,
        flushDelayMs: 50,
        log: () => undefined,
      })
      writer.push(makeEntry())
      await vi.advanceTimersByTimeAsync(49)
      expect(writer.stats().written).toBe(0)
      await vi.advanceTimersByTimeAsync(1)
      expect(writer.stats().written).toBe(1)
    } finally {
      vi.useRealTimers()
    }
  })

  it('starts a write as soon as the buffer holds bufferEntries', async () => {
    const backend = gatedBackend()
    const writer = createJournalWriter(backend, { bufferEntries: 3, log: () => undefined })
    for (let i = 0; i < 3; i++) writer.push(makeEntry())
    expect(backend.batches).toHaveLength(1)
    backend.release()
    await writer.flush()
    expect(writer.stats().written).toBe(3)
  })

  it('drops and counts entries past twice the buffer while the backend lags, and logs it', async () => {
    const backend = gatedBackend()
    const log = vi.fn()
    const writer = createJournalWriter(backend, { bufferEntries: 2, log })
    for (let i = 0; i < 2; i++) writer.push(makeEntry()) // handed to the backend, which waits
    for (let i = 0; i < 5; i++) writer.push(makeEntry()) // 4 wait in the buffer, 1 is dropped
    expect(writer.stats()).toMatchObject({ recorded: 6, dropped: 1, pending: 4 })
    expect(log).toHaveBeenCalledWith(
      expect.stringMatching(/journal: 1 entry dropped \(buffer full/),
    )
    backend.release()
    backend.release()
    await new Promise((r) => setImmediate(r))
    backend.release()
    await writer.flush()
    expect(writer.stats()).toMatchObject({ written: 6, pending: 0 })
  })

  it('writes everything pushed before close, then closes the backend', async () => {
    const backend = createMemoryJournalBackend(100)
    const close = vi.spyOn(backend, 'close')
    const writer = createJournalWriter(backend, { bufferEntries: 100, log: () => undefined })
    for (let i = 0; i < 7; i++) writer.push(makeEntry())
    await writer.close()
    expect((await backend.query({}, 100)).entries).toHaveLength(7)
    expect(close).toHaveBeenCalledTimes(1)
    writer.push(makeEntry())
    expect(writer.stats().dropped).toBe(1)
  })

  it('counts a failed write as dropped and keeps writing later batches', async () => {
    const backend = createMemoryJournalBackend(100)
    const append = backend.append.bind(backend)
    let fail = true
    backend.append = async (entries) => {
      if (fail) throw new Error('disk full')
      return append(entries)
    }
    const log = vi.fn()
    const writer = createJournalWriter(backend, { bufferEntries: 100, log })
    writer.push(makeEntry())
    await writer.flush()
    fail = false
    writer.push(makeEntry())
    await writer.flush()
    expect(writer.stats()).toMatchObject({ recorded: 2, written: 1, dropped: 1 })
    expect(log).toHaveBeenCalledWith(expect.stringContaining('write failed: disk full'))
  })
})
