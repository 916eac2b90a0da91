import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { lstat, mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packageVersion } from './options.js'

/**
 * Bump when the layout of cached files changes. What each caller caches carries its own version in
 * its key; the package's version is in every key, so that an upgrade never reads an older build's work.
 */
const FORMAT = 'prepared-1'

/**
 * Folder of prepared start-up work (a parsed contract, checked data files), one per user of the
 * machine: `<tmp>/sandbox-twin-cache-<uid>`, made private (0700). A folder that is not a private
 * folder of this user (made by someone else, a symbolic link, writable by others) is never used.
 */
export const CACHE_DIR = join(
  tmpdir(),
  `sandbox-twin-cache-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`,
)

/**
 * A key for what `kind` prepares from `parts` (texts, versions): a hash of all of them. A part may be
 * given as the bytes of a UTF-8 file instead of its text (the same key, without decoding the file).
 */
export function preparedKey(kind: string, ...parts: ReadonlyArray<string | Uint8Array>): string {
  const h = createHash('sha256').update(`${FORMAT}\u0000${packageVersion()}\u0000${kind}`)
  for (const part of parts) h.update('\u0000').update(part)
  return `${kind}-${h.digest('hex').slice(0, 40)}`
}

let usable: Promise<boolean> | undefined

/** Makes the folder once per process and checks that it is ours alone; `false`: no cache this run. */
function cacheFolder(): Promise<boolean> {
  return (usable ??= (async () => {
    try {
      await mkdir(CACHE_DIR, { recursive: true, mode: 0o700 })
      const st = await lstat(CACHE_DIR)
      if (!st.isDirectory()) return false
      if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return false
      return (st.mode & 0o022) === 0
    } catch {
      return false
    }
  })())
}

/**
 * An entry not used for this long is removed: a cache of every contract and data file a machine ever
 * started with (and of every test run's) would otherwise only grow. Read entries are marked as used
 * at most once a day, so that a sandbox started every day keeps its entries, ms.
 */
const UNUSED_MS = 14 * 24 * 3600_000 // 14 days
const TOUCH_MS = 24 * 3600_000 // 1 day

/**
 * Removes the entries (and the temporary files of interrupted writes) not used for {@link UNUSED_MS}
 * before `now`. Resolves with how many were removed; never throws. Run once per process by the first
 * write: a start that only reads (a warm start) never pays for it.
 */
export async function prunePrepared(now = Date.now()): Promise<number> {
  if (!(await cacheFolder())) return 0
  let removed = 0
  try {
    for (const name of await readdir(CACHE_DIR)) {
      if (!name.endsWith('.json') && !name.endsWith('.tmp')) continue
      const file = join(CACHE_DIR, name)
      try {
        if (now - (await stat(file)).mtimeMs < UNUSED_MS) continue
        await rm(file, { force: true })
        removed++
      } catch {
        // Removed by another process meanwhile, or not ours to remove: left.
      }
    }
  } catch {
    // Left for the next process that writes.
  }
  return removed
}

let pruning: Promise<number> | undefined

/** The SHA-256 of a text or bytes, in hex: what each entry's head checks its payload with. */
export const sum = (payload: string | Uint8Array): string =>
  createHash('sha256').update(payload).digest('hex')

/** What is kept under a key: the payload, and what its writer said about it (`meta`). */
export interface PreparedEntry {
  payload: Buffer
  meta: unknown
}

/**
 * The entry kept under `key`, or `undefined` (never kept, unreadable, cut short, altered: each file
 * carries the hash of its content, checked before use). Read at once, synchronously: a start waits
 * for it anyway, and one read into one buffer costs about half of `fs.promises`' read in chunks of a
 * megabyte file (every page of a new buffer is a page fault, and the chunks are copied once more).
 * Never throws.
 */
export async function readPreparedEntry(key: string): Promise<PreparedEntry | undefined> {
  if (!(await cacheFolder())) return undefined
  const file = join(CACHE_DIR, `${key}.json`)
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
    // Marked as used (see UNUSED_MS), in the background.
    const now = Date.now()
    if (now - statSync(file).mtimeMs > TOUCH_MS)
      void utimes(file, now / 1000, now / 1000).catch(() => undefined)
  } catch {
    return undefined
  }
  try {
    const cut = bytes.indexOf(0x0a)
    if (cut < 0) return undefined
    const head = JSON.parse(bytes.toString('utf8', 0, cut)) as {
      key?: string
      sum?: string
      meta?: unknown
    }
    const payload = bytes.subarray(cut + 1)
    if (head.key !== key || head.sum !== sum(payload)) return undefined
    return { payload, meta: head.meta }
  } catch {
    return undefined
  }
}

/** What was prepared under `key` as JSON (see {@link readPreparedEntry}), or `undefined`. Never throws. */
export async function readPrepared<T>(key: string): Promise<T | undefined> {
  // Checked as bytes, decoded once: the payload of a prepared contract is megabytes.
  const entry = await readPreparedEntry(key)
  if (entry === undefined) return undefined
  try {
    return JSON.parse(entry.payload.toString('utf8')) as T
  } catch {
    return undefined
  }
}

/**
 * Keeps `value` (JSON) under `key`, in the background: written to a file of its own, then renamed
 * over the old one, so that a reader (another process starting at the same moment) sees a whole file
 * or none. A failure only costs the next start its time. Resolves once written or given up.
 */
export function writePrepared(key: string, value: unknown): Promise<void> {
  return writePreparedBytes(key, JSON.stringify(value))
}

/**
 * Keeps `payload` under `key`, in the background, as {@link writePrepared} does; `meta` (JSON, small)
 * is read back with it by {@link readPreparedEntry}.
 */
export function writePreparedBytes(
  key: string,
  payload: string | Uint8Array,
  meta?: unknown,
): Promise<void> {
  const file = join(CACHE_DIR, `${key}.json`)
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  return cacheFolder()
    .then(async (ok) => {
      if (!ok) return
      const head = Buffer.from(`${JSON.stringify({ key, sum: sum(payload), meta })}\n`)
      const body = typeof payload === 'string' ? Buffer.from(payload) : payload
      await writeFile(temp, Buffer.concat([head, body]), { mode: 0o600 })
      await rename(temp, file)
      pruning ??= prunePrepared()
    })
    .catch(() => rm(temp, { force: true }).catch(() => undefined))
}

/**
 * Removes every entry of `kind` but `keep` (what an entry replaces: the same work for another build
 * or an earlier version of its input). Resolves once done or given up; never throws.
 */
export async function dropPrepared(kind: string, keep: string): Promise<void> {
  if (!(await cacheFolder())) return
  try {
    for (const name of await readdir(CACHE_DIR))
      if (name.startsWith(`${kind}-`) && name.endsWith('.json') && name !== `${keep}.json`)
        await rm(join(CACHE_DIR, name), { force: true })
  } catch {
    // Left for the next entry of this kind to drop.
  }
}

/** True when `value` survives JSON unchanged: no dates, no `undefined`, no NaN, no class instances. */
export function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(isPlainJson)
  if (typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value) as unknown
  if (proto !== Object.prototype && proto !== null) return false
  return Object.values(value).every(isPlainJson)
}
