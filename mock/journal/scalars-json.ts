import fastJson from 'fast-json-stringify'
import type { JournalEntry } from './journal-entry.js'
import { LINE_SCALARS } from './line-schema.js'

/**
 * The serialiser of a journal entry's scalar fields ({@link LINE_SCALARS}), compiled by
 * fast-json-stringify. The bundle (`scripts/bundle.mjs`) replaces this module by the same serialiser
 * compiled ahead of time (`scripts/journal-scalars.mjs`, fast-json-stringify's standalone code), so
 * that a start neither loads the compiler (with the ajv instance it builds) nor compiles.
 */
export function compileScalarsJson(): (entry: JournalEntry) => string {
  return fastJson(LINE_SCALARS)
}
