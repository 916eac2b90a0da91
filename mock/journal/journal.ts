import { randomBytes } from 'node:crypto'
import type { Exchange } from '../http/exchange.js'
import type { JournalBackend, JournalFilter, JournalPage } from './journal-backend.js'
import type { JournalEntry, NewJournalEntry } from './journal-entry.js'
import { createJournalWriter, type JournalWriterStats } from './journal-writer.js'
import { createExchangeWatcher } from './exchange-watcher.js'
import { guardObserver } from '../observer-guard.js'

/** The access journal of a sandbox, as the pipeline, the admin routes and the report see it. */
export interface Journal {
  /** False when `journal.enabled` is off: nothing is recorded, queries find nothing. */
  readonly enabled: boolean
  /** Kind of the backend: `'memory'`, `'file'`, `'redis'`. */
  readonly backend: string
  /** Pipeline hook: records one entry for the exchange once its response closes. */
  watch(ex: Exchange): void
  /** Records an entry that does not come from the pipeline (token issuance, failed client auth). */
  record(entry: NewJournalEntry): void
  /** A page of entries matching `filter`, oldest first; sees everything recorded before the call. */
  query(filter: JournalFilter, limit: number, cursor?: string): Promise<JournalPage>
  /** Every entry matching `filter`, oldest first; sees everything recorded before the call. */
  stream(filter: JournalFilter): AsyncIterable<JournalEntry>
  /**
   * The newest `limit` entries matching `filter`, newest first, read from the newest end only as far
   * as needed; with `after` (an entry id), only those recorded after it. Sees everything recorded
   * before the call.
   */
  latest(filter: JournalFilter, limit: number, after?: string): Promise<JournalEntry[]>
  /** Resolves once everything recorded so far is stored. */
  flush(): Promise<void>
  /** Flushes and closes the backend (`sandbox.close()` calls it, on SIGTERM/SIGINT too). */
  close(): Promise<void>
  stats(): JournalWriterStats
}

/** Options of {@link createJournal}. */
export interface JournalServiceOptions {
  /** Entries buffered before the writer is forced to flush. */
  bufferEntries: number
  /** Days an entry is kept; older ones are pruned hourly and hidden from queries. */
  retentionDays: number
  /** Real-time source, ms. */
  now: () => number
  log: (line: string) => void
  /**
   * A client's clock offset, ms: for entries whose exchange ended before any stage read it (a
   * connection held for a ban is held before authentication). Default: none, such entries keep 0.
   */
  clockOffset?: (clientId: string) => Promise<number>
  /**
   * When the client now holding an id was created (real time, ms), `undefined` for an id no client
   * holds: a query naming a client sees that client's entries only, never those of an earlier client
   * deleted under the same id. Default: no bound.
   */
  clientSince?: (clientId: string) => Promise<number | undefined>
}

const HOUR = 3_600_000
const DAY = 86_400_000

/**
 * Builds the journal over a backend: an in-memory buffer in front (so requests never wait for
 * storage), ids given in recording order, retention applied at start and every hour.
 */
export function createJournal(backend: JournalBackend, options: JournalServiceOptions): Journal {
  const writer = createJournalWriter(backend, {
    bufferEntries: options.bufferEntries,
    log: options.log,
  })
  const retentionMs = options.retentionDays * DAY
  const nextId = idGenerator(options.now)
  // `id` first in every stored line, whatever the entry brings. API entries, one per request, are
  // built with their id in place instead (no copy): the exchange watcher takes `nextId`.
  const recorder = guardObserver('journal recorder', options.log, options.now)
  const record = (entry: NewJournalEntry): void =>
    void recorder.run(() => writer.push(Object.assign({ id: '' }, entry, { id: nextId() })))
  // Retention hides older entries at once, whatever the backend has physically removed yet; a
  // client's entries start with that client.
  const inRetention = async (filter: JournalFilter): Promise<JournalFilter> => {
    let oldest = options.now() - retentionMs
    if (filter.clientId !== undefined && options.clientSince) {
      const since = await options.clientSince(filter.clientId)
      if (since !== undefined && since > oldest) oldest = since
    }
    return filter.from !== undefined && filter.from >= oldest ? filter : { ...filter, from: oldest }
  }
  const prune = (): void => {
    void backend.prune(options.now() - retentionMs).catch((err: unknown) => {
      options.log(`journal: pruning failed: ${err instanceof Error ? err.message : String(err)}`)
    })
  }
  // Offsets still being read when the journal closes are awaited: their entries are not lost.
  const reading = new Set<Promise<number>>()
  const lookUp = options.clockOffset
  const clockOffset = lookUp
    ? (clientId: string): Promise<number> => {
        const p = lookUp(clientId)
        reading.add(p)
        void p.finally(() => reading.delete(p)).catch(() => undefined)
        return p
      }
    : undefined
  const watcher = createExchangeWatcher({
    now: options.now,
    nextId,
    push: writer.push,
    clockOffset,
    log: options.log,
  })
  prune()
  const pruneTimer = setInterval(prune, HOUR)
  pruneTimer.unref()

  return {
    enabled: true,
    backend: backend.kind,
    watch: (ex) => watcher.watch(ex),
    record,
    query: async (filter, limit, cursor) => {
      await writer.flush()
      return backend.query(await inRetention(filter), limit, cursor)
    },
    stream: (filter) =>
      (async function* () {
        await writer.flush()
        yield* backend.stream(await inRetention(filter))
      })(),
    latest: async (filter, limit, after) => {
      await writer.flush()
      return backend.latest(await inRetention(filter), limit, after)
    },
    flush: () => writer.flush(),
    close: async () => {
      clearInterval(pruneTimer)
      // Connections cut by the shutdown in this very tick record their exchanges on their 'close'.
      await new Promise((resolve) => setImmediate(resolve))
      watcher.close()
      await Promise.allSettled([...reading])
      await new Promise((resolve) => setImmediate(resolve))
      await writer.close()
    },
    stats: () => writer.stats(),
  }
}

/** The journal of a sandbox started with `journal.enabled: false`. */
export function createDisabledJournal(): Journal {
  const empty = { recorded: 0, written: 0, dropped: 0, pending: 0 }
  return {
    enabled: false,
    backend: 'none',
    watch: () => undefined,
    record: () => undefined,
    query: async () => ({ entries: [] }),
    stream: () => (async function* () {})(),
    latest: async () => [],
    flush: async () => undefined,
    close: async () => undefined,
    stats: () => ({ ...empty }),
  }
}

/**
 * Entry ids: real ms, a process tag and a counter, each fixed-width base 36, so ids sort in recording
 * order within a process and by time across restarts and replicas.
 */
function idGenerator(now: () => number): () => string {
  const tag = randomBytes(3).readUIntBE(0, 3).toString(36).padStart(5, '0')
  let counter = 0
  let lastMs = NaN
  let prefix = ''
  return () => {
    counter = (counter + 1) % 36 ** 6
    const ms = now()
    if (ms !== lastMs) {
      lastMs = ms
      prefix = `${ms.toString(36).padStart(9, '0')}-${tag}-`
    }
    return `${prefix}${counter.toString(36).padStart(6, '0')}`
  }
}
