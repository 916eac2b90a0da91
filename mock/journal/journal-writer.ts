import type { JournalBackend } from './journal-backend.js'
import type { JournalEntry } from './journal-entry.js'
import { JournalBatchBuilder } from './journal-batch.js'
import { DEFAULTS } from '../options.js'

/** Options of {@link createJournalWriter}. */
export interface JournalWriterOptions {
  /** Entries buffered before a write starts at once. Past twice this while a write is still running, entries are dropped. */
  bufferEntries: number
  /** Longest an entry waits in the buffer, ms. Default `DEFAULTS.tuning.journalFlushMs`. */
  flushDelayMs?: number
  /** Operator log (drops and write failures). */
  log: (line: string) => void
}

/** Counters of a writer since it started. */
export interface JournalWriterStats {
  /** Entries accepted into the buffer. */
  recorded: number
  /** Entries the backend stored. */
  written: number
  /** Entries lost: buffer overflow while the backend lagged, a failed write, or a record after close. */
  dropped: number
  /** Entries waiting in the buffer now. */
  pending: number
}

/** Buffers entries in memory and hands them to a backend in batches, one batch at a time. */
export interface JournalWriter {
  /** Serialises an entry and buffers it; never waits for storage. */
  push(entry: JournalEntry): void
  /** Resolves once everything pushed so far is stored. */
  flush(): Promise<void>
  /** Flushes, then closes the backend; later pushes are dropped. */
  close(): Promise<void>
  stats(): JournalWriterStats
}

/**
 * The journal's writer: requests only ever append a line to an in-memory batch, so writing never holds
 * an answer back; a timer (or a full batch) hands the batch to the backend.
 */
export function createJournalWriter(
  backend: JournalBackend,
  options: JournalWriterOptions,
): JournalWriter {
  const delay = options.flushDelayMs ?? DEFAULTS.tuning.journalFlushMs
  const cap = options.bufferEntries * 2
  const counters = { recorded: 0, written: 0, dropped: 0 }
  const pending = new JournalBatchBuilder()
  let writing: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined
  let closed = false
  let lastDropLog = 0

  const drop = (n: number, why: string): void => {
    counters.dropped += n
    const now = Date.now()
    // One line a minute at most: a lagging disk must not flood the operator's log as well.
    if (now - lastDropLog < 60_000) return
    lastDropLog = now
    options.log(
      `journal: ${n} entr${n === 1 ? 'y' : 'ies'} dropped (${why}); ${counters.dropped} so far`,
    )
  }

  const schedule = (): void => {
    if (timer || writing) return
    timer = setTimeout(() => void drain(), delay)
    timer.unref()
  }

  const drain = (): Promise<void> => {
    if (timer) clearTimeout(timer)
    timer = undefined
    writing ??= (async () => {
      while (pending.length > 0) {
        const batch = pending.take()
        try {
          await backend.append(batch)
          counters.written += batch.length
        } catch (err) {
          drop(batch.length, `write failed: ${err instanceof Error ? err.message : String(err)}`)
        }
        pending.recycle(batch)
      }
    })().finally(() => {
      writing = undefined
      if (pending.length > 0) schedule()
    })
    return writing
  }

  return {
    push: (entry) => {
      if (closed) return drop(1, 'the journal is closed')
      if (pending.length >= cap) return drop(1, `buffer full: ${cap} entries waiting for storage`)
      pending.addEntry(entry)
      counters.recorded++
      if (pending.length >= options.bufferEntries) void drain()
      else schedule()
    },
    flush: async () => {
      while (pending.length > 0 || writing) await (writing ?? drain())
    },
    close: async () => {
      if (closed) return
      closed = true
      while (pending.length > 0 || writing) await (writing ?? drain())
      await backend.close()
    },
    stats: () => ({ ...counters, pending: pending.length }),
  }
}
