/**
 * Measures how much the generated data reads like production on a contract: lorem-ipsum words in
 * any generated string or key, and the share of nullable fields that come out filled. Used by the
 * realism tests and printed by them, so the figures can be measured again with one command.
 */
import { faker } from '@faker-js/faker/locale/fr'
import type { Contract, JsonSchema, Operation, ParameterSpec } from '../../mock/contract/types.js'
import { createDataGenerator, type DataGenerator } from '../../mock/data/generate-response.js'
import { luhnComplete, siretFrom } from '../../mock/data/identifiers.js'
import { nodeOf, type SchemaNode } from '../../mock/data/schema-node.js'
import { deriveSeed } from '../../mock/data/seeded.js'

/**
 * Faker's lorem vocabulary, less the words that are also ordinary French or English words in
 * production data ("et", "non", "est", "minus", "alias", "error", "quasi"...).
 */
const ORDINARY = new Set([
  'a',
  'ad',
  'at',
  'et',
  'est',
  'ex',
  'id',
  'in',
  'non',
  'alias',
  'error',
  'minus',
  'quasi',
  'sit',
  'maxime',
])
export const LOREM_WORDS: ReadonlySet<string> = new Set(
  (faker.rawDefinitions.lorem?.word ?? []).filter((w) => !ORDINARY.has(w)),
)

/**
 * The lorem words in a text (split on anything that is not a letter; two-letter words such as "ab" or
 * "ea" are left out, as hexadecimal digests are full of them).
 */
export function loremWordsIn(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length > 2 && LOREM_WORDS.has(w))
}

const TRACEABILITY = new Set(['recipient', 'context', 'object'])

/** The i-th set of path and query values for an operation: valid identifiers, years, months, RNAs. */
export function paramsFor(op: Operation, i: number): Record<string, string> {
  const siren =
    i === 0
      ? '418166096'
      : luhnComplete(String(10_000_000 + (deriveSeed(1, op.id, String(i)) % 89_999_999)))
  const siret = i === 0 ? '41816609600051' : siretFrom(siren, String(i).padStart(4, '0'))
  const rna = `W${String(deriveSeed(2, op.id, String(i)) % 1e9).padStart(9, '0')}`
  const params: Record<string, string> = {}
  for (const p of op.parameters) {
    if ((p.in !== 'path' && p.in !== 'query') || TRACEABILITY.has(p.name)) continue
    if (p.in === 'query' && !p.required && i % 2 === 0) continue
    params[p.name] = valueFor(p, i, { siren, siret, rna })
  }
  return params
}

function valueFor(
  p: ParameterSpec,
  i: number,
  ids: { siren: string; siret: string; rna: string },
): string {
  const name = p.name.toLowerCase()
  const third = i % 3 === 2
  if (name.includes('siret')) {
    if (third && name.includes('rna')) return ids.rna
    if (third && name.includes('eori')) return `FR${ids.siret}`
    return ids.siret
  }
  if (name.includes('siren')) return third && name.includes('rna') ? ids.rna : ids.siren
  if (name === 'year') return String(2018 + (i % 6))
  if (name === 'month') return String(1 + (i % 12)).padStart(2, '0')
  const schema = p.schema as { enum?: unknown[]; type?: string; maximum?: number }
  if (schema.enum?.length) return String(schema.enum[i % schema.enum.length])
  if (schema.type === 'integer' || schema.type === 'number')
    return String(Math.min(i, schema.maximum ?? i))
  return `valeur${i}`
}

/** One lorem hit: where it was found. */
export interface LoremHit {
  operation: string
  path: string
  text: string
}

/** Every string value and property name of `value` holding a lorem word. */
export function loremHits(value: unknown, operation: string, path = ''): LoremHit[] {
  const out: LoremHit[] = []
  const visit = (v: unknown, at: string): void => {
    if (typeof v === 'string') {
      if (loremWordsIn(v).length) out.push({ operation, path: at, text: v })
    } else if (Array.isArray(v)) v.forEach((item, i) => visit(item, `${at}/${i}`))
    else if (v && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        if (loremWordsIn(k).length) out.push({ operation, path: `${at}/${k}`, text: k })
        visit(item, `${at}/${k}`)
      }
    }
  }
  visit(value, path)
  return out
}

/** Nullable fields met in a body, how many of them hold a value, how many are null by meaning. */
export interface FillCount {
  nullable: number
  filled: number
  /** Nulls of fields whose meaning says absent for the entity (see {@link ABSENT_BY_MEANING}). */
  absent: number
}

/**
 * Fields (`parent.key`) that production leaves null when the entity has no such thing: address
 * parts abroad or for a cedex, repetition index, second line; the natural-person block of a company
 * and the company block of a person; further given names, usage name, pseudonym; an RNA outside
 * associations; cessation, radiation, dissolution and closing dates of an active unit; acronym, trade
 * name, sign, web site, capital of a unit that has none; headcount bounds of a non-employer.
 */
export const ABSENT_BY_MEANING =
  /cedex|etranger|distribution|indice_repetition|complement|lieu_dit|ligne_2|\.l[2-7]$|pseudonyme|prenom|nom_usage|nom_naissance|sexe|personne_(physique|morale)|naissance\.|identite_entreprise\.(nom|denomination)|raison_sociale|\.rna$|rna_id|redirect_from|date_(cessation|radiation|dissolution|fermeture)|sigle|nom_commercial|enseigne|site_web|capital|date_reference|\.de$|\.a$|categorie_entreprise|economie_sociale/

/** Counts the nullable properties and array items of `value` against its schema. */
export function countNullable(schema: JsonSchema, value: unknown, into: FillCount): void {
  const visit = (node: SchemaNode, v: unknown, where: string): void => {
    const nodes = node.branches ? node.branches.map(nodeOf) : [node]
    if (node.nullable || nodes.some((n) => n.nullable || n.types[0] === 'null')) {
      into.nullable++
      if (v !== null) into.filled++
      else if (ABSENT_BY_MEANING.test(where)) into.absent++
    }
    const key = where.split('.').pop() ?? ''
    if (Array.isArray(v)) {
      const items = nodes.map((n) => n.items).filter((s): s is JsonSchema => !!s)
      if (items[0]) for (const item of v) visit(nodeOf(items[0]), item, where)
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const prop = nodes.flatMap((n) => n.properties).find(([name]) => name === k)
        if (prop) visit(nodeOf(prop[1]), child, `${key}.${k}`)
      }
    }
  }
  visit(nodeOf(schema), value, '')
}

/** The 200 schema of an operation, else its first 2XX one. */
function successSchema(op: Operation): JsonSchema | undefined {
  const statuses = Object.keys(op.responses)
    .filter((s) => /^2\d\d$/.test(s))
    .sort()
  for (const s of statuses) if (op.responses[s]?.schema) return op.responses[s]!.schema
  return undefined
}

export interface RealismFigures {
  /** Operations with a response schema, scanned. */
  operations: number
  seeds: readonly number[]
  /** Bodies generated for the lorem scan. */
  bodies: number
  hits: LoremHit[]
  /** Bodies generated for the nullable count, and the count. */
  fillBodies: number
  fill: FillCount
}

export interface RealismOptions {
  seeds?: readonly number[]
  /** Identifiers per operation and seed for the lorem scan. Default 6. */
  perOperation?: number
  /** Bodies for the nullable count, spread over the operations. Default 1,000. */
  fillBodies?: number
  /** Passed to the generator. */
  nullRate?: number
}

/** Generates answers for every operation of `contract` and measures lorem words and nullable fields. */
export function measureRealism(contract: Contract, options: RealismOptions = {}): RealismFigures {
  const seeds = options.seeds ?? [1, 2, 3]
  const perOperation = options.perOperation ?? 6
  const fillBodies = options.fillBodies ?? 1000
  const ops = contract.operations.filter((op) => successSchema(op))
  const generators = new Map<number, DataGenerator>()
  const generator = (seed: number): DataGenerator => {
    let g = generators.get(seed)
    if (!g) {
      g = createDataGenerator(contract, {
        seed,
        documentBaseUrl: 'https://sandbox.example',
        ...(options.nullRate !== undefined ? { nullRate: options.nullRate } : {}),
      })
      generators.set(seed, g)
    }
    return g
  }
  const hits: LoremHit[] = []
  let bodies = 0
  for (const seed of seeds) {
    for (const op of ops) {
      for (let i = 0; i < perOperation; i++) {
        hits.push(...loremHits(generator(seed).generateBody(op, paramsFor(op, i)), op.id))
        bodies++
      }
    }
  }
  const fill: FillCount = { nullable: 0, filled: 0, absent: 0 }
  for (let n = 0; n < fillBodies; n++) {
    const op = ops[n % ops.length]!
    const seed = seeds[n % seeds.length]!
    const body = generator(seed).generateBody(op, paramsFor(op, 100 + Math.floor(n / ops.length)))
    countNullable(successSchema(op)!, body, fill)
  }
  return { operations: ops.length, seeds, bodies, hits, fillBodies, fill }
}

/** Hits per operation, most first. */
export function hitsByOperation(hits: readonly LoremHit[]): [string, number][] {
  const counts = new Map<string, number>()
  for (const h of hits) counts.set(h.operation, (counts.get(h.operation) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1])
}
