import type { CaseTable } from '../cases/load-cases.js'
import type { DataGenerator } from './generate-response.js'
import type { MagicTable } from './magic-identifiers.js'

/** Where the `resolveData` stage finds an answer: fixture cases, magic identifiers, the generator. */
export interface DataSources {
  cases: CaseTable
  magic: MagicTable
  generator: DataGenerator
  /** Most generated bodies kept, serialised. Default `DEFAULTS.tuning.generatedBodies`. */
  cacheEntries?: number
}
