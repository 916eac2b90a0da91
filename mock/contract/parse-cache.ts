import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Bump when the parser or its settings change, so that no stale parse is reused. */
const PARSER_VERSION = 'js-yaml4-core-merge-2'
/** Below this size parsing is cheap enough that a cache would cost more than it saves, bytes. */
const MIN_CACHED_BYTES = 256 * 1024 // 256 KiB

/** Folder of cached contract parses: the system's temporary folder. */
export const PARSE_CACHE_DIR = join(tmpdir(), 'sandbox-twin-cache')

/**
 * Parses a large YAML contract once per content: the parsed document is kept as JSON, keyed by a hash
 * of the text, and read back on the next start (a 2 MB contract: ~15 ms instead of ~150 ms). A cache
 * that cannot be read or written is ignored: it never fails start-up.
 */
export async function parseCached(
  text: string,
  parse: () => Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (text.length < MIN_CACHED_BYTES) return parse()
  const key = createHash('sha256').update(PARSER_VERSION).update(text).digest('hex').slice(0, 32)
  const file = join(PARSE_CACHE_DIR, `${key}.json`)
  const cached = await readFile(file, 'utf8')
    .then((json) => JSON.parse(json) as Record<string, unknown>)
    .catch(() => undefined)
  if (cached) return cached
  const value = parse()
  // Serialised now: the caller resolves `$ref`s in place right after.
  const json = JSON.stringify(value)
  const temp = `${file}.${process.pid}.tmp`
  // Written in the background, atomically (rename), so a concurrent start never reads half a file.
  void mkdir(PARSE_CACHE_DIR, { recursive: true })
    .then(() => writeFile(temp, json))
    .then(() => rename(temp, file))
    .catch(() => undefined)
  return value
}
