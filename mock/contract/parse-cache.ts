import { createHash } from 'node:crypto'
import { deserialize, serialize } from 'node:v8'
import {
  CACHE_DIR,
  dropPrepared,
  preparedKey,
  readPrepared,
  readPreparedBytes,
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
const LOADED_VERSION = 'loaded-2'

/**
 * A contract as `loadContract` returns it (`$ref`s resolved, operations listed), kept whole for the
 * next start: V8's serialisation keeps what JSON cannot, the cycles of recursive schemas and the
 * objects two places share, and reading it back skips the resolution and the operations' reading (a
 * 2 MB contract: the contract's part of a start about 60 ms instead of 100 ms). Keyed by the file's
 * bytes and path, the code that loaded it (`codeId`) and V8's version; kept only for a contract of
 * one file (a `$ref` to another document would go unseen when that document changes). One entry per
 * contract path: keeping one drops what was kept for the same path before (another build, an earlier
 * version of the file), so that rebuilds and edits do not pile megabytes up. Both ends never throw.
 */
export interface LoadedCache<T> {
  /** The entry's key in the start-up cache. */
  readonly key: string
  read(): Promise<T | undefined>
  /** Serialises `value` now (before anyone changes it), writes it in the background. */
  keep(value: T): void
}

export function loadedCache<T>(
  path: string,
  bytes: Uint8Array,
  codeId: string | undefined,
): LoadedCache<T> | undefined {
  if (codeId === undefined || bytes.length < MIN_CACHED_BYTES) return undefined
  // Every entry for this path shares the kind, so that keeping one can drop the others.
  const kind = `contract-loaded-${createHash('sha256').update(path).digest('hex').slice(0, 12)}`
  const key = preparedKey(kind, LOADED_VERSION, codeId, process.versions.v8, path, bytes)
  return {
    key,
    read: async () => {
      const payload = await readPreparedBytes(key)
      if (payload === undefined) return undefined
      try {
        return deserialize(payload) as T
      } catch {
        return undefined
      }
    },
    keep: (value) => {
      let payload: Buffer
      try {
        payload = serialize(value)
      } catch {
        return
      }
      void writePreparedBytes(key, payload).then(() => dropPrepared(kind, key))
    },
  }
}
