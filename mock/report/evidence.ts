import type { JournalEntry } from '../journal/journal-entry.js'
import { MAX_EVIDENCE, type CheckResult, type Evidence } from './report-types.js'

/** Cites an entry as evidence. */
export function cite(entry: JournalEntry, note: string): Evidence {
  return {
    id: entry.id,
    sandboxAt: entry.sandboxAt,
    method: entry.method,
    path: entry.path,
    ...(entry.operation !== undefined ? { operation: entry.operation } : {}),
    ...(entry.api !== undefined ? { api: entry.api } : {}),
    ...(entry.status !== undefined ? { status: entry.status } : {}),
    ...(entry.code !== undefined ? { code: entry.code } : {}),
    ...(entry.jti !== undefined ? { jti: entry.jti } : {}),
    note,
  }
}

/** What a check found, before it becomes a result. */
export interface Findings {
  /** True when the run put the client in the situation the check is about. */
  exercised: boolean
  /** Entries that break the rule (any one fails the check). */
  failures: Evidence[]
  /** Entries that show the rule held (cited when nothing failed). */
  passes: Evidence[]
  /** One-sentence summaries for each outcome. */
  pass: string
  fail: string
  none: string
}

/** Turns findings into a result: fail if any failure, else pass if exercised, else not exercised. */
export function decide(f: Findings): Omit<CheckResult, 'id' | 'title' | 'rule'> {
  const status = f.failures.length > 0 ? 'fail' : f.exercised ? 'pass' : 'not-exercised'
  const all = status === 'fail' ? f.failures : status === 'pass' ? f.passes : []
  return {
    status,
    summary: status === 'fail' ? f.fail : status === 'pass' ? f.pass : f.none,
    evidence: all.slice(0, MAX_EVIDENCE),
    ...(all.length > MAX_EVIDENCE ? { evidenceTotal: all.length } : {}),
  }
}

/** `1 call`, `2 calls`; `y` after a consonant makes `ies` (`retry`, `retries`). */
export const count = (n: number, thing: string): string =>
  `${n} ${n === 1 ? thing : /[^aeiou]y$/.test(thing) ? `${thing.slice(0, -1)}ies` : `${thing}s`}`

/** A duration for people: `850 ms`, `4.2 s`, `12 min`, `12 h`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 120_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`
  return `${(ms / 3_600_000).toFixed(1).replace(/\.0$/, '')} h`
}
