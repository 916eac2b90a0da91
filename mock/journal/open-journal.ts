import { dirname, join } from 'node:path'
import type { ResolvedOptions } from '../options.js'
import type { SandboxClock } from '../clock/clock.js'
import { createFileJournalBackend } from './file-backend.js'
import type { JournalBackend } from './journal-backend.js'
import { createDisabledJournal, createJournal, type Journal } from './journal.js'
import { createMemoryJournalBackend } from './memory-backend.js'

/** Builds the journal's backend for a Redis state. Default: a stream in that Redis (`redis-backend.ts`). */
export type RedisJournalFactory = (url: string) => Promise<JournalBackend>

/**
 * Opens the journal the options ask for, beside the state: state `'memory'` keeps a bounded ring in
 * memory; a state file puts JSONL files in a `journal/` folder next to it (`.sandbox/journal/` for the
 * CLI's default `.sandbox/state.json`); a Redis state keeps it in a Redis stream that every replica
 * shares (`redisJournal` replaces it, for tests).
 */
export async function openJournal(
  options: ResolvedOptions,
  redisJournal?: RedisJournalFactory,
  clock?: Pick<SandboxClock, 'offset'>,
  clientSince?: (clientId: string) => Promise<number | undefined>,
): Promise<Journal> {
  const { journal, state } = options
  if (!journal.enabled) return createDisabledJournal()
  let backend: JournalBackend
  if (state === 'memory') {
    backend = createMemoryJournalBackend(journal.memoryEntries, journal.memoryBytes)
  } else if (/^rediss?:\/\//.test(state)) {
    // One stream shared by every replica, trimmed to memoryEntries and to the retention period.
    const open: RedisJournalFactory =
      redisJournal ??
      (async (url) =>
        // Loaded only for a Redis state, like the store's client.
        (await import('./redis-backend.js')).openRedisJournalBackend({
          url,
          maxEntries: journal.memoryEntries,
          maxAgeMs: journal.retentionDays * 86_400_000,
        }))
    backend = await open(state)
  } else {
    backend = await createFileJournalBackend({
      dir: journalFolder(state),
      rotateBytes: journal.rotateBytes,
    })
  }
  return createJournal(backend, {
    ...journal,
    now: options.now,
    log: options.log,
    ...(clock ? { clockOffset: clock.offset } : {}),
    ...(clientSince ? { clientSince } : {}),
  })
}

/** Folder of the JSONL journal of a state file: `journal/` beside it. */
export const journalFolder = (stateFile: string): string => join(dirname(stateFile), 'journal')
