import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { vi } from 'vitest'
import { CACHE_DIR } from '../../mock/prepared-cache.js'

/** The files of the start-up cache right now (to tell the ones a test is about to make). */
export function preparedFiles(): Set<string> {
  return new Set(existsSync(CACHE_DIR) ? readdirSync(CACHE_DIR) : [])
}

/**
 * Waits for the start-up cache to hold a new file of `kind` (not in `before`) whose content contains
 * `marker`, something unique to the calling test, and returns its path. Test files running at the same
 * time write to the same folder: only the marker says which new file is this test's. The file is
 * written in the background: polled, with room for a loaded machine, never waited for by a count.
 */
export function preparedFileWith(
  kind: string,
  marker: string,
  before: Set<string>,
): Promise<string> {
  const others = new Set<string>()
  return vi.waitFor(
    () => {
      for (const name of existsSync(CACHE_DIR) ? readdirSync(CACHE_DIR) : []) {
        if (before.has(name) || others.has(name)) continue
        if (!name.startsWith(`${kind}-`) || !name.endsWith('.json')) continue
        const file = join(CACHE_DIR, name)
        // A file renamed into place is whole; one holding another test's work never changes.
        if (readFileSync(file, 'utf8').includes(marker)) return file
        others.add(name)
      }
      throw new Error(`no new ${kind} file holding ${marker} in ${CACHE_DIR} yet`)
    },
    { timeout: 20_000, interval: 10 },
  )
}
