import { CACHE_DIR, preparedKey, readPrepared, writePrepared } from '../prepared-cache.js'

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
