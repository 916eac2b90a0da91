/** Types shared by the schema walker and the field heuristics. */
import type { Faker } from '@faker-js/faker'
import type { Company, Establishment } from './company.js'
import type { SchemaNode } from './schema-node.js'
import type { World } from './world.js'

/** The company a request is about, when it names a SIREN or a SIRET. */
export interface GenerationEntity {
  /** Which identifier the request named. */
  kind: 'siren' | 'siret'
  company: Company
  /** The establishment asked for; for a SIREN, the head office. */
  establishment: Establishment
}

/** One value to produce: where it sits and what schema it must satisfy. */
export interface FieldRequest {
  /** Property name; for an array item, the array's property name; `''` at the root. */
  key: string
  /** Name of the property holding the enclosing object (`''` at the root). */
  parentKey: string
  /** Property names of the enclosing object, to read context (a `nom` beside a `prenom`...). */
  siblings: readonly string[]
  /** Position, when the value is an array item. */
  index?: number | undefined
  node: SchemaNode
  ctx: GenerationContext
}

/** Suggests values for a field, best first; the generator keeps the first that fits the schema. */
export type FieldResolver = (req: FieldRequest) => readonly unknown[] | undefined

/** What a generation carries from the root of a schema to its leaves. */
export interface GenerationContext {
  /** Seeded faker: every random draw goes through it, in walk order. */
  faker: Faker
  /** Seed of the data set, for looking up companies (`companyFor`) met along the way. */
  seed: number
  /** The companies of this data set, corrected by the fixture cases. Default: the seed's own. */
  world?: World
  entity?: GenerationEntity
  /** JSON path of the value being generated (property names and array indexes). */
  path: (string | number)[]
  /** Depth past which a recursive schema is cut short (see `GenerationOptions.maxDepth`). */
  maxDepth: number
  /** Object and array schemas being walked, outermost first: a repeat means recursion. */
  ancestors: SchemaNode[]
  /** Caller's resolver, asked before any built-in heuristic. */
  resolve?: FieldResolver
  /**
   * Memo of one generation: companies and persons drawn for the parts of the body that are not
   * the entity (by object path), subjects of the objects being built (by object).
   */
  locals: Map<unknown, unknown>
  /** Objects being built, outermost first: what is already generated around a field. */
  objects: Record<string, unknown>[]
  /** Property names of the items of the arrays being built, by position of the index in `path`. */
  items: Map<number, readonly string[]>
  /** Language of the data: `'en'` uses English name hints, not French records. */
  locale?: 'fr' | 'en'
  /** The period the request asks about (`year`, `month` parameters), which dated fields follow. */
  period?: { year?: number; month?: number }
  /** Share of nullable properties left `null` on purpose (see `GenerationOptions.nullRate`). */
  nullRate?: number
  /** Values generated so far in this body (a budget against huge schemas). */
  count?: number
}
