import { open, readFile, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Low } from 'lowdb'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import {
  DurableJsonFile,
  FILE_MODE,
  dropLogsBefore,
  listLogs,
  lockStateFolder,
  logPath,
  makeStateFolder,
  syncFolder,
} from './durable-file.js'
import type { LocalStoreScope, Store, StoreScope, WindowHit } from './store.js'
import { DEFAULTS } from '../options.js'

/** One stored value with its real-time expiry (ms since epoch), if any. */
interface Entry {
  v: unknown
  exp?: number
}

interface FileData {
  version: 1
  /** First log generation whose changes are not in this snapshot. */
  log?: number
  entries: Record<string, Entry>
}

/** One line of a log: a key set (with its expiry), deleted, or a whole prefix cleared. */
type LogLine = { k: string; v: unknown; e?: number } | { k: string; d: 1 } | { p: string; c: 1 }

export interface MemoryStoreOptions {
  /** Snapshot file to persist to (logs and lock beside it); `undefined` keeps everything in memory only. */
  file?: string
  /** Delay before counters (rate windows, failure counts) reach the log, ms. Default `DEFAULTS.tuning.storeWriteDelayMs`. */
  writeDelay?: number
  /** Log size from which the state is compacted into a new snapshot, bytes. Default `DEFAULTS.tuning.storeCompactBytes`. */
  compactBytes?: number
  /** Least time between two compactions, ms: snapshot writes are bounded in rate. Default `DEFAULTS.tuning.storeCompactEveryMs`. */
  compactEvery?: number
  /** Real-time source, ms. Default `Date.now`. */
  now?: () => number
  /** Interval between two removals of expired entries, ms. Default `DEFAULTS.tuning.storeSweepEveryMs`. */
  sweepEvery?: number
  /** Where a failed background write is reported. Default: stderr. */
  log?: (line: string) => void
}

const GLOBAL = '_'
/** Client scopes kept made at once; past it they are made afresh (a scope is a few closures). */
const MAX_KEPT_SCOPES = 10_000
const SEP = '\u0000'

/**
 * The store's keys (`<owner>\0<namespace>\0<key>`) and values, counting its keys per namespace as
 * they come and go, so that "does namespace X hold anything at all" is one lookup.
 */
class Keyspace extends Map<string, Entry> {
  readonly #perNs = new Map<string, number>()

  override set(k: string, e: Entry): this {
    if (!super.has(k)) this.#count(k, 1)
    return super.set(k, e)
  }

  override delete(k: string): boolean {
    if (!super.delete(k)) return false
    this.#count(k, -1)
    return true
  }

  override clear(): void {
    super.clear()
    this.#perNs.clear()
  }

  /** True when at least one key of namespace `ns` is held (expired ones not yet swept included). */
  holdsAny(ns: string): boolean {
    return this.#perNs.has(ns)
  }

  #count(k: string, by: 1 | -1): void {
    // The namespace is the second field: no owner holds the separator (see `clientScope`).
    const start = k.indexOf(SEP) + 1
    const end = k.indexOf(SEP, start)
    const ns = end === -1 ? '' : k.slice(start, end)
    const n = (this.#perNs.get(ns) ?? 0) + by
    if (n > 0) this.#perNs.set(ns, n)
    else this.#perNs.delete(ns)
  }
}

/**
 * The embedded store: hot state in a Map. With a file, it is durable before it is acknowledged: every
 * change is appended to a log and `fdatasync`ed before the promise of `set`, `setIfAbsent`, `delete`
 * or `clear` resolves (changes made in the same moment share one sync: group commit). Counters (`incr`,
 * `hit`: rate windows, failure counts) are appended without waiting, within `writeDelay` or with the
 * next acknowledged change. In the background the log is compacted into a lowdb snapshot once it
 * passes `compactBytes`, at most once per `compactEvery`. The folder is locked for one process.
 */
export async function createMemoryStore(options: MemoryStoreOptions = {}): Promise<Store> {
  const now = options.now ?? Date.now
  const report = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const data = new Keyspace()
  const file = options.file
  const disk = file ? await openDisk(file, data, now) : undefined

  // Expired entries leave memory (and the next snapshot) even when nobody reads them again: failed
  // logins with made-up client ids, rate windows of addresses never seen again.
  const sweeper = setInterval(() => {
    const t = now()
    for (const [k, e] of data) if (e.exp !== undefined && e.exp <= t) data.delete(k)
  }, options.sweepEvery ?? DEFAULTS.tuning.storeSweepEveryMs)
  sweeper.unref()

  // The writer: one at a time, lines in the order the changes were made.
  let pending: string[] = []
  let waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> = []
  let pumping: Promise<void> | undefined
  let lazyTimer: NodeJS.Timeout | undefined
  let logBytes = 0
  let lastCompaction = now()
  let snapshotting: Promise<void> = Promise.resolve()
  let closed = false

  const pump = (): Promise<void> => {
    if (pumping) return pumping
    const box: { run?: Promise<void> } = {}
    const run = (async () => {
      // Starts on the next tick, so that `pumping` is set before it can end.
      await Promise.resolve()
      try {
        while ((pending.length > 0 || counters.size > 0) && disk) {
          // Counters changed since the last write: one line each, its latest value, after the
          // acknowledged changes queued before them.
          for (const k of counters) {
            const e = data.get(k)
            if (e) pending.push(`${JSON.stringify({ k, v: e.v, e: e.exp })}\n`)
          }
          counters.clear()
          const lines = pending
          const acks = waiters
          pending = []
          waiters = []
          try {
            const text = lines.join('')
            await disk.fh.write(text)
            await disk.fh.datasync()
            logBytes += Buffer.byteLength(text)
            for (const w of acks) w.resolve()
          } catch (err) {
            report(
              `error: state log ${logPath(disk.file, disk.gen)} cannot be written: ${err instanceof Error ? err.message : String(err)}`,
            )
            for (const w of acks) w.reject(err)
          }
          if (
            logBytes >= (options.compactBytes ?? DEFAULTS.tuning.storeCompactBytes) &&
            now() - lastCompaction >= (options.compactEvery ?? DEFAULTS.tuning.storeCompactEveryMs)
          )
            await compact()
        }
      } finally {
        if (pumping === box.run) pumping = undefined
      }
    })()
    box.run = run
    pumping = run
    return run
  }

  /**
   * Keys of counters (`incr`, `hit`) changed since the last write: a counter hit a thousand times a
   * second is written once, with its latest value, not serialised at each hit.
   */
  const counters = new Set<string>()

  /** Notes that a counter changed; it reaches the log within `writeDelay` or with the next write. */
  const touch = (k: string): void => {
    if (!disk || closed) return
    counters.add(k)
    if (!lazyTimer) {
      lazyTimer = setTimeout(() => {
        lazyTimer = undefined
        void pump()
      }, options.writeDelay ?? DEFAULTS.tuning.storeWriteDelayMs)
      lazyTimer.unref()
    }
  }

  /** Appends a line, synced to disk before it resolves. */
  const append = (line: LogLine): Promise<void> => {
    if (!disk || closed) return Promise.resolve()
    // A counter's pending value is older than this line: it must not be written after it.
    if ('c' in line) {
      for (const k of counters) if (k.startsWith(line.p)) counters.delete(k)
    } else counters.delete(line.k)
    pending.push(`${JSON.stringify(line)}\n`)
    const acked = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }))
    // Changes made in this same turn of the event loop join one write and one sync.
    setImmediate(() => void (pumping ? pumping.then(pump) : pump()))
    return acked
  }

  /** Starts a new log and writes the snapshot of the state as it is now, in the background. */
  const compact = async (): Promise<void> => {
    if (!disk) return
    lastCompaction = now()
    const t = now()
    const entries: Record<string, Entry> = {}
    for (const [k, e] of data) if (!e.exp || e.exp > t) entries[k] = e
    const next = disk.gen + 1
    const fh = await open(logPath(disk.file, next), 'a', FILE_MODE)
    const old = disk.fh
    disk.fh = fh
    disk.gen = next
    logBytes = 0
    await old.close()
    await syncFolder(dirname(disk.file))
    // Serialised now (the adapter stringifies before it waits): the state at the log's switch.
    disk.db.data = { version: 1, log: next, entries }
    const written = disk.db.write()
    snapshotting = written
      .then(() => dropLogsBefore(disk.file, next))
      .catch((err: unknown) =>
        report(
          `error: state snapshot ${disk.file} cannot be written (the logs keep every change): ${err instanceof Error ? err.message : String(err)}`,
        ),
      )
  }

  const live = (k: string): Entry | undefined => {
    const e = data.get(k)
    if (e?.exp !== undefined && e.exp <= now()) {
      data.delete(k)
      return undefined
    }
    return e
  }
  const put = (k: string, v: unknown, ttlMs: number | undefined): Promise<void> => {
    const entry: Entry = ttlMs === undefined ? { v } : { v, exp: now() + ttlMs }
    data.set(k, entry)
    return append(entry.exp === undefined ? { k, v } : { k, v, e: entry.exp })
  }

  function scope(owner: string): StoreScope {
    const key = (ns: string, k: string): string => `${owner}${SEP}${ns}${SEP}${k}`
    const prefix = `${owner}${SEP}`
    const local: LocalStoreScope = {
      get: <T>(ns: string, k: string) => live(key(ns, k))?.v as T | undefined,
      hit: (ns, k, windowMs, nowMs) => {
        const id = key(ns, k)
        const e = live(id)
        const w = e?.v as WindowHit | undefined
        const next: WindowHit =
          w && nowMs < w.resetAt
            ? { count: w.count + 1, resetAt: w.resetAt }
            : { count: 1, resetAt: nowMs + windowMs }
        const exp = now() + Math.max(windowMs, next.resetAt - nowMs)
        if (e === undefined) data.set(id, { v: next, exp })
        else {
          e.v = next
          e.exp = exp
        }
        touch(id)
        return { count: next.count, resetAt: next.resetAt }
      },
    }
    return {
      local,
      get: async <T>(ns: string, k: string) => local.get<T>(ns, k),
      set: (ns, k, v, ttlMs) => put(key(ns, k), v, ttlMs),
      setIfAbsent: async (ns, k, v, ttlMs) => {
        if (live(key(ns, k))) return false
        await put(key(ns, k), v, ttlMs)
        return true
      },
      delete: async (ns, k) => {
        const existed = live(key(ns, k)) !== undefined
        if (data.delete(key(ns, k))) await append({ k: key(ns, k), d: 1 })
        return existed
      },
      entries: async <T>(ns: string) => {
        const p = `${prefix}${ns}${SEP}`
        const out: Array<[string, T]> = []
        for (const k of [...data.keys()]) {
          if (!k.startsWith(p)) continue
          const e = live(k)
          if (e) out.push([k.slice(p.length), e.v as T])
        }
        return out
      },
      // Counters are hit on every call: the key is made once per call, and the stored entry (this
      // store's own object, never handed out) is updated in place.
      incr: async (ns, k, ttlMs) => {
        const id = key(ns, k)
        const e = live(id)
        let next: number
        if (e === undefined) data.set(id, { v: (next = 1), exp: now() + ttlMs })
        else {
          next = ((e.v as number | undefined) ?? 0) + 1
          e.v = next
          e.exp ??= now() + ttlMs
        }
        touch(id)
        return next
      },
      hit: async (ns, k, windowMs, nowMs) => local.hit(ns, k, windowMs, nowMs),
      clear: async () => {
        for (const k of [...data.keys()]) if (k.startsWith(prefix)) data.delete(k)
        await append({ p: prefix, c: 1 })
      },
    }
  }

  /** Everything appended so far is synced, and the last snapshot written. */
  const flush = async (): Promise<void> => {
    if (lazyTimer) clearTimeout(lazyTimer)
    lazyTimer = undefined
    while (pumping || pending.length > 0 || counters.size > 0) await (pumping ?? pump())
    await snapshotting
  }

  // A scope holds nothing but its owner's key prefix: made once per client and handed out again (the
  // request path asks for a client's scope several times per call), within a bound.
  const scopes = new Map<string, StoreScope>()
  const clientScope = (clientId: string): StoreScope => {
    let s = scopes.get(clientId)
    if (s === undefined) {
      if (scopes.size >= MAX_KEPT_SCOPES) scopes.clear()
      // Client ids are checked when clients are made, but a scope may be asked for an id read from
      // an unverified credential: the separator never gets into an owner, so that a key's namespace
      // (and `holdsAny`) is always read right.
      const owner = clientId.includes(SEP) ? clientId.replaceAll(SEP, '\uFFFD') : clientId
      scopes.set(clientId, (s = scope(`c:${owner}`)))
    }
    return s
  }

  return {
    kind: file ? 'file' : 'memory',
    global: scope(GLOBAL),
    scope: clientScope,
    ready: async () => true,
    flush,
    holdsAny: (ns) => data.holdsAny(ns),
    close: async () => {
      clearInterval(sweeper)
      await flush()
      if (!disk || closed) return
      // A clean stop leaves one snapshot and an empty log: the next start reads it at once.
      await compact()
      await snapshotting
      closed = true
      await disk.fh.close()
      disk.release()
    },
  }
}

/** The open files of a durable store. */
interface Disk {
  file: string
  db: Low<FileData>
  fh: FileHandle
  gen: number
  release: () => void
}

/**
 * Locks the folder, reads the snapshot, replays the logs that follow it (a torn last line, from a
 * process killed while writing, is ignored: its change was never acknowledged) and opens a new log.
 */
async function openDisk(file: string, data: Keyspace, now: () => number): Promise<Disk> {
  const fail = (reason: string, cause?: unknown): never => {
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_STATE,
      `state file ${file} cannot be used: ${reason}. Delete it to start afresh, or pass --state memory.`,
      { file, ...(cause === undefined ? {} : { cause }) },
    )
  }
  try {
    await makeStateFolder(file)
  } catch (cause) {
    fail(cause instanceof Error ? cause.message : String(cause), cause)
  }
  const release = lockStateFolder(file)
  try {
    const db = new Low<FileData>(new DurableJsonFile<FileData>(file), { version: 1, entries: {} })
    try {
      await db.read()
    } catch (cause) {
      fail(cause instanceof Error ? cause.message : String(cause), cause)
    }
    if (!db.data || typeof db.data !== 'object' || typeof db.data.entries !== 'object') {
      fail('it does not hold a sandbox state (expected {"version":1,"entries":{...}})')
    }
    for (const [k, e] of Object.entries(db.data.entries)) data.set(k, e)
    const from = typeof db.data.log === 'number' ? db.data.log : 0
    const gens = (await listLogs(file)).filter((g) => g >= from)
    for (const g of gens) replay(await readFile(logPath(file, g), 'utf8'), data)
    const t = now()
    for (const [k, e] of data) if (e.exp !== undefined && e.exp <= t) data.delete(k)
    const gen = (gens.at(-1) ?? from) + 1
    const fh = await open(logPath(file, gen), 'a', FILE_MODE)
    // The state as read becomes the snapshot; older logs go.
    db.data = { version: 1, log: gen, entries: Object.fromEntries(data) }
    await db.write()
    await dropLogsBefore(file, gen)
    return { file, db, fh, gen, release }
  } catch (err) {
    release()
    throw err
  }
}

/** Applies a log's lines in order. */
function replay(text: string, data: Map<string, Entry>): void {
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!
    if (!raw) continue
    let line: LogLine
    try {
      line = JSON.parse(raw) as LogLine
    } catch {
      continue // torn by a kill in the middle of a write: never acknowledged
    }
    if ('c' in line) {
      for (const k of [...data.keys()]) if (k.startsWith(line.p)) data.delete(k)
    } else if ('d' in line) {
      data.delete(line.k)
    } else {
      data.set(line.k, line.e === undefined ? { v: line.v } : { v: line.v, exp: line.e })
    }
  }
}
