import { createHash } from 'node:crypto'
import type { BigIntStats } from 'node:fs'
import { deserialize, serialize } from 'node:v8'
import {
  CACHE_DIR,
  dropPrepared,
  preparedKey,
  readPrepared,
  readPreparedEntry,
  sum,
  writePrepared,
  writePreparedBytes,
} from '../prepared-cache.js'

/** Bump when the parser or its settings change, so that no stale parse is reused. */
const PARSER_VERSION = 'js-yaml4-core-merge-2'
/** Below this size parsing is cheap enough that a cache would cost more than it saves, bytes. */
const MIN_CACHED_BYTES = 256 * 1024 // 256 KiB

/** Folder of cached contract parses (see `prepared-cache.ts`). */
export const PARSE_CACHE_DIR = CACHE_DIR

/**
 * Parses a large YAML contract once per content: the parsed document is kept as JSON, keyed by a hash
 * of the file's bytes (a start that finds it never decodes the text), and read back on the next start (a 2 MB contract: ~15 ms instead of ~150 ms). A cache
 * that cannot be read or written is ignored: it never fails start-up.
 */
export async function parseCached(
  bytes: Uint8Array,
  parse: () => Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (bytes.length < MIN_CACHED_BYTES) return parse()
  const key = preparedKey('contract', PARSER_VERSION, bytes)
  const cached = await readPrepared<Record<string, unknown>>(key)
  if (cached) return cached
  const value = parse()
  // Serialised now (the caller resolves `$ref`s in place right after), written in the background.
  void writePrepared(key, value)
  return value
}

/**
 * Identifies the code that loads contracts: the bundle (`scripts/bundle.mjs`) sets it to a hash of
 * its own sources and locked dependencies. Running from sources it is undefined, and no loaded
 * contract is kept: what such code would read back might come from other code.
 */
declare const SANDBOX_BUILD_ID: string | undefined
export const BUILD_ID: string | undefined =
  typeof SANDBOX_BUILD_ID === 'string' ? SANDBOX_BUILD_ID : undefined

/** Bump when the layout of a loaded contract changes. */
const LOADED_VERSION = 'loaded-3'
/**
 * A file changed less than this long before it was kept is not trusted on its times alone: a file
 * rewritten within one tick of the file system's clock keeps the same times, ms.
 */
const SETTLED_MS = 2000

/**
 * A contract as `loadContract` returns it (`$ref`s resolved, operations listed), kept whole for the
 * next start: V8's serialisation keeps what JSON cannot, the cycles of recursive schemas and the
 * objects two places share, and reading it back skips the resolution and the operations' reading (a
 * 2 MB contract: the contract's part of a start about 60 ms instead of 100 ms). Kept per contract
 * path, code that loaded it (`codeId`) and V8 version, with the file's identity (device, inode, size,
 * modification and change times) and the hash of its bytes: a start whose file has the same identity,
 * and had not changed for {@link SETTLED_MS} when it was kept, takes it without reading the file
 * (as make and git trust a file's times); any other start reads the file and takes it only if the
 * bytes hash the same. Kept only for a contract of one file (a `$ref` to another document would go
 * unseen when that document changes). One entry per contract path: keeping one drops what was kept
 * for the same path before (another build), so that rebuilds do not pile megabytes up. Both ends
 * never throw.
 */
export interface LoadedCache<T> {
  /** The entry's key in the start-up cache. */
  readonly key: string
  /**
   * What was kept from the file `stats` describes, or `undefined`. `bytes` is called only when the
   * file's identity does not vouch for it; a failure to read is `undefined` (the caller reports it).
   */
  read(stats: BigIntStats, bytes: () => Promise<Uint8Array>): Promise<T | undefined>
  /**
   * Serialises `value` now (before anyone changes it), writes it in the background, with the file's
   * identity as `stats` gave it before `bytes` were read. `keptAt` (real time, ms) is now but in tests.
   */
  keep(value: T, stats: BigIntStats, bytes: Uint8Array, keptAt?: number): void
}

/** What a kept contract says of the file it came from. */
interface KeptFrom {
  file: string
  sum: string
  keptAt: number
}

/** A file's identity as its stat gives it: changed content changes one of these. */
const identity = (s: BigIntStats): string =>
  [s.dev, s.ino, s.size, s.mtimeNs, s.ctimeNs].map(String).join(':')

export function loadedCache<T>(
  path: string,
  size: number,
  codeId: string | undefined,
): LoadedCache<T> | undefined {
  if (codeId === undefined || size < MIN_CACHED_BYTES) return undefined
  // Every entry for this path shares the kind, so that keeping one can drop the others.
  const kind = `contract-loaded-${createHash('sha256').update(path).digest('hex').slice(0, 12)}`
  const key = preparedKey(kind, LOADED_VERSION, codeId, process.versions.v8, path)
  return {
    key,
    read: async (stats, bytes) => {
      const entry = await readPreparedEntry(key)
      const from = entry?.meta as Partial<KeptFrom> | undefined
      if (!entry || typeof from?.sum !== 'string' || typeof from.keptAt !== 'number')
        return undefined
      const settled =
        from.file === identity(stats) &&
        from.keptAt - Number(stats.mtimeMs) >= SETTLED_MS &&
        from.keptAt - Number(stats.ctimeMs) >= SETTLED_MS
      if (!settled) {
        const current = await bytes().catch(() => undefined)
        if (current === undefined || sum(current) !== from.sum) return undefined
      }
      try {
        return deserialize(entry.payload) as T
      } catch {
        return undefined
      }
    },
    keep: (value, stats, bytes, keptAt = Date.now()) => {
      let payload: Buffer
      try {
        payload = serialize(value)
      } catch {
        return
      }
      const from: KeptFrom = { file: identity(stats), sum: sum(bytes), keptAt }
      void writePreparedBytes(key, payload, from).then(() => dropPrepared(kind, key))
    },
  }
}
