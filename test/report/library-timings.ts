import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { JournalEntry } from '../../mock/journal/journal-entry.js'

/**
 * How real client libraries behave in the situations the verdict judges, read from their recorded
 * runs against the sandbox (test/report/fixtures/library-runs.json, made by
 * scripts/record-library-runs.mjs: each library with its documented defaults, or the one option
 * named). The libraries are not dependencies of the project; their behaviour is.
 */
export interface Recording {
  name: string
  library: string
  version: string
  configuration: string
  situation: string
  /** How the library's call ended (`done`, or what it threw). */
  result: string
  entries: JournalEntry[]
}

export const RECORDINGS: Recording[] = (
  JSON.parse(readFileSync(resolve(import.meta.dirname, 'fixtures/library-runs.json'), 'utf8')) as {
    recordings: Recording[]
  }
).recordings

/** A recording by name; fails loudly when the fixture lacks it (re-record). */
export function recording(name: string): Recording {
  const found = RECORDINGS.find((r) => r.name === name)
  if (!found) throw new Error(`no recording "${name}" in fixtures/library-runs.json: re-record it`)
  return found
}

const apiCalls = (r: Recording): JournalEntry[] => r.entries.filter((e) => e.kind === 'api')

/** Waits between a recording's successive API calls, ms (on the sandbox clock, as judged). */
export const gapsOf = (r: Recording): number[] => {
  const t = apiCalls(r).map((e) => Date.parse(e.sandboxAt))
  return t.slice(1).map((x, i) => x - t[i]!)
}

/** Waits between retries after failures that asked for nothing (504s), ms, as recorded. */
export const OWN_BACKOFF = {
  got: gapsOf(recording('got defaults after 504s')),
  ky: gapsOf(recording('ky defaults after 504s')),
  'axios-retry': gapsOf(recording('axios-retry exponentialDelay after 504s')),
  'undici RetryAgent': gapsOf(recording('undici RetryAgent defaults after 504s')),
  'p-retry': gapsOf(recording('p-retry retries 5 after 504s')),
}

/**
 * Waits after answers that asked for one (Retry-After), honoured: the recorded runs (Retry-After 2),
 * and two runs reported from the field with a 503's `Retry-After: 30` (got, Node timers firing a few
 * ms late, the first one later than the second on a loaded machine).
 */
export const ASKED_WAITS: Record<string, { asked: number; waits: readonly number[] }> = {
  ...Object.fromEntries(
    (
      [
        ['got', 'got defaults'],
        ['ky', 'ky defaults'],
        ['axios-retry', 'axios-retry exponentialDelay'],
        ['undici RetryAgent', 'undici RetryAgent defaults'],
      ] as const
    ).map(([library, run]) => [
      `${library}, Retry-After 2 twice (recorded)`,
      { asked: 2, waits: gapsOf(recording(`${run}, 503 Retry-After`)) },
    ]),
  ),
  'got, Retry-After 30 twice (reported)': { asked: 30, waits: [30004, 30010] },
  'got, Retry-After 30, late first timer (reported)': { asked: 30, waits: [30154, 30004] },
}

/** When each library closed a call the sandbox held without answering, ms after it arrived. */
const closes = (name: string): number[] =>
  apiCalls(recording(name)).map((e) => e.clientClosedAfterMs ?? e.latencyMs)

export const CLOSES_HELD_CALL = {
  /** undici `headersTimeout: 5000`: its timers have a 0.5 to 1 s resolution. */
  'undici headersTimeout 5000': closes('undici headersTimeout 5000'),
  'got timeout.request 5000': closes('got timeout.request 5000'),
  'axios timeout 5000': closes('axios timeout 5000'),
  'ky timeout 5000': closes('ky timeout 5000'),
  /** ky with its default `timeout: 10000`: too long for a JSON operation. */
  'ky default timeout': closes('ky default timeout'),
}
