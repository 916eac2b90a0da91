import type { JournalEntry } from '../journal/journal-entry.js'

/** The resource a call asks for: operation and identifying parameters (as the 502 memory keys it). */
export function resourceOf(e: JournalEntry): string {
  const ref = e.ref ?? {}
  const params = Object.keys(ref)
    .sort()
    .map((k) => `${k}=${ref[k]}`)
  const op =
    e.operation !== undefined && e.api !== undefined ? `${e.api}/${e.operation}` : e.operation
  return `${op ?? `${e.method} ${e.path}`}?${params.join('&')}`
}

/** The rate-limit group of a call, else its operation (a 429's scope). */
export const groupOf = (e: JournalEntry): string => e.rateGroup ?? e.operation ?? e.path
