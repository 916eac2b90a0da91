import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Low } from 'lowdb'
import { JSONFile } from 'lowdb/node'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import type { Store, StoreScope, WindowHit } from './store.js'

/** One stored value with its real-time expiry (ms since epoch), if any. */
interface Entry {
  v: unknown
  exp?: number
}

interface FileData {
  version: 1
  entries: Record<string, Entry>
}

export interface MemoryStoreOptions {
  /** lowdb file to persist to; `undefined` keeps everything in memory only. */
  file?: string
  /** Delay between a change and its write to the file, ms. Default `250`. */
  writeDelay?: number
  /** Real-time source, ms. Default `Date.now`. */
  now?: () => number
  /** Interval between two removals of expired entries, ms. Default `30000`. */
  sweepEvery?: number
}

const GLOBAL = '_'
const SEP = '\u0000'

/**
 * The embedded store: hot state in a Map, persisted to a lowdb JSON file a short while after it changes
 * (never once per request), and on {@link Store.flush} / {@link Store.close}.
 */
export async function createMemoryStore(options: MemoryStoreOptions = {}): Promise<Store> {
  const now = options.now ?? Date.now
  const data = new Map<string, Entry>()
  const db = options.file ? await openFile(options.file) : undefined
  if (db) {
    const t = now()
    for (const [k, e] of Object.entries(db.data.entries)) if (!e.exp || e.exp > t) data.set(k, e)
  }
  // Expired entries leave memory (and the file) even when nobody reads them again: failed logins
  // with made-up client ids, rate windows of addresses never seen again.
  const sweeper = setInterval(() => {
    const t = now()
    let removed = 0
    for (const [k, e] of data) if (e.exp !== undefined && e.exp <= t && data.delete(k)) removed++
    if (removed > 0) changed()
  }, options.sweepEvery ?? 30_000)
  sweeper.unref()
  let timer: NodeJS.Timeout | undefined
  let writing: Promise<void> = Promise.resolve()

  const write = (): Promise<void> => {
    if (!db) return Promise.resolve()
    const t = now()
    const entries: Record<string, Entry> = {}
    for (const [k, e] of data) if (!e.exp || e.exp > t) entries[k] = e
    db.data = { version: 1, entries }
    writing = writing.then(() => db.write())
    return writing
  }
  const changed = (): void => {
    if (!db || timer) return
    timer = setTimeout(() => {
      timer = undefined
      void write()
    }, options.writeDelay ?? 250)
    timer.unref()
  }
  const live = (k: string): Entry | undefined => {
    const e = data.get(k)
    if (e?.exp !== undefined && e.exp <= now()) {
      data.delete(k)
      return undefined
    }
    return e
  }
  const put = (k: string, v: unknown, ttlMs?: number): void => {
    data.set(k, ttlMs === undefined ? { v } : { v, exp: now() + ttlMs })
    changed()
  }

  function scope(owner: string): StoreScope {
    const key = (ns: string, k: string): string => `${owner}${SEP}${ns}${SEP}${k}`
    const prefix = `${owner}${SEP}`
    return {
      get: async <T>(ns: string, k: string) => live(key(ns, k))?.v as T | undefined,
      set: async (ns, k, v, ttlMs) => put(key(ns, k), v, ttlMs),
      setIfAbsent: async (ns, k, v, ttlMs) => {
        if (live(key(ns, k))) return false
        put(key(ns, k), v, ttlMs)
        return true
      },
      delete: async (ns, k) => {
        const existed = live(key(ns, k)) !== undefined
        if (data.delete(key(ns, k))) changed()
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
      incr: async (ns, k, ttlMs) => {
        const e = live(key(ns, k))
        const next = ((e?.v as number | undefined) ?? 0) + 1
        data.set(key(ns, k), { v: next, exp: e?.exp ?? now() + ttlMs })
        changed()
        return next
      },
      hit: async (ns, k, windowMs, nowMs) => {
        const e = live(key(ns, k))
        const w = e?.v as WindowHit | undefined
        const next: WindowHit =
          w && nowMs < w.resetAt
            ? { count: w.count + 1, resetAt: w.resetAt }
            : { count: 1, resetAt: nowMs + windowMs }
        put(key(ns, k), next, Math.max(windowMs, next.resetAt - nowMs))
        return { ...next }
      },
      clear: async () => {
        for (const k of [...data.keys()]) if (k.startsWith(prefix)) data.delete(k)
        changed()
      },
    }
  }

  return {
    kind: options.file ? 'file' : 'memory',
    global: scope(GLOBAL),
    scope: (clientId) => scope(`c:${clientId}`),
    ready: async () => true,
    flush: async () => {
      if (timer) clearTimeout(timer)
      timer = undefined
      await write()
    },
    close: async () => {
      clearInterval(sweeper)
      if (timer) clearTimeout(timer)
      timer = undefined
      await write()
    },
  }
}

async function openFile(file: string): Promise<Low<FileData>> {
  try {
    await mkdir(dirname(file), { recursive: true })
    const db = new Low<FileData>(new JSONFile<FileData>(file), { version: 1, entries: {} })
    await db.read()
    if (!db.data || typeof db.data !== 'object' || typeof db.data.entries !== 'object') {
      throw new Error('it does not hold a sandbox state (expected {"version":1,"entries":{...}})')
    }
    return db
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_STATE,
      `state file ${file} cannot be used: ${reason}. Delete it to start afresh, or pass --state memory.`,
      { file, cause },
    )
  }
}
