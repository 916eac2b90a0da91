/**
 * Response bodies for a contract's operations: finds the company a request names, seeds the
 * generation from the request, and generates the response schema with that company in context.
 * Same seed, same reference day and same request give the same bytes, on any machine.
 */
import { createAjv, createSchemaCompiler } from '../contract/json-schema.js'
import type { Contract, JsonSchema, MediaSpec, NamedExample, Operation } from '../contract/types.js'
import { contractLocale } from '../contract/contract-locale.js'
import { documentUrl } from './documents.js'
import { createGenerationContext, generateFromSchema } from './generate-from-schema.js'
import type { FieldResolver, GenerationEntity } from './generation-types.js'
import { householdFor, householdResolver } from './household.js'
import { isValidSiren, isValidSiret } from './identifiers.js'
import { essence, isJsonType, renderBody, type RenderedBody } from './media-body.js'
import { createSeededFaker, dayOf, onDay, REFERENCE_DATE } from './seeded.js'
import { hasSibling } from './sibling-names.js'
import { createWorld, RNA, type World, type WorldFacts } from './world.js'

export interface DataGeneratorOptions {
  /** Seed of the data set: change it to get other companies. */
  seed: number
  /** Origin that serves generated documents, e.g. `'http://localhost:8080'` (no trailing slash needed). */
  documentBaseUrl: string
  /** Depth past which optional properties are left out. Default `8`. */
  maxDepth?: number
  /** Language of the data. Default: the contract's own (French public APIs get French data). */
  locale?: 'fr' | 'en'
  /**
   * Share (0 to 1) of nullable fields answered `null` although a value would fit, for robustness
   * tests; seeded like every other draw. Default `0`: null only where the field means absent.
   */
  nullRate?: number
  /**
   * What fixture cases say about legal units (see `factsFromCases`): generated answers about those
   * SIRENs and RNAs agree with the cases. Default: none.
   */
  facts?: WorldFacts
  /**
   * The day the data treats as today (its UTC day is kept): documents delivered up to it, periods
   * closed before it, people born before it. Default: {@link REFERENCE_DATE} (2026-01-01); the
   * sandbox gives the day it starts on.
   */
  today?: Date
}

export interface DataGenerator {
  /** The UTC midnight the data treats as today. */
  readonly today: Date
  /**
   * The body of `op` for the merged path and query parameter values `params`, for the response
   * `status` (default `'200'`; the first 2XX with a schema when that one has none). `undefined` when
   * the operation declares no response schema. `documentBaseUrl` overrides the generator's for the
   * links to documents (the sandbox passes the request's own host when no public URL is set).
   */
  generateBody(
    op: Operation,
    params: Readonly<Record<string, string>>,
    status?: string,
    documentBaseUrl?: string,
  ): unknown
  /**
   * The body of `op` in one of the media types its response declares (`text/csv`, `application/pdf`,
   * `application/scim+json`...), written in that type: the media's own example when it is text of
   * that type, else the value generated from the media's schema, else the same data as the JSON
   * answer (a CSV of the records the JSON lists).
   */
  generateMedia(
    op: Operation,
    params: Readonly<Record<string, string>>,
    status: string,
    media: MediaSpec,
    documentBaseUrl?: string,
  ): RenderedBody
}

/** The identifier a request names: the first parameter about a SIREN or SIRET with a valid value. */
export interface RequestIdentifier {
  param: string
  value: string
  kind: 'siren' | 'siret'
}

/** Finds the SIREN or SIRET among the parameters (`siren`, `siret`, `siren_or_rna`, `siret_or_eori`...). */
export function findIdentifier(
  params: Readonly<Record<string, string>>,
): RequestIdentifier | undefined {
  const names = Object.keys(params)
    .filter((name) => /siren|siret/i.test(name))
    .sort((a, b) => Number(!/^sire[nt]$/i.test(a)) - Number(!/^sire[nt]$/i.test(b)))
  for (const param of names) {
    let value = params[param]!.trim()
    // A French EORI number is FR followed by the SIRET.
    if (/eori/i.test(param) && /^FR\d{14}$/.test(value)) value = value.slice(2)
    if (/^\d{14}$/.test(value) && isValidSiret(value)) return { param, value, kind: 'siret' }
    if (/^\d{9}$/.test(value) && isValidSiren(value)) return { param, value, kind: 'siren' }
  }
  return undefined
}

/**
 * The association an RNA parameter names (`siren_or_rna=W751004076`), as the SIREN of its legal
 * unit, when no parameter names a SIREN or SIRET.
 */
export function findRna(
  params: Readonly<Record<string, string>>,
  world: World,
): RequestIdentifier | undefined {
  for (const [param, raw] of Object.entries(params)) {
    const value = raw.trim().toUpperCase()
    if (/rna/i.test(param) && RNA.test(value))
      return { param, value: world.sirenOfRna(value), kind: 'siren' }
  }
  return undefined
}

/** The company and establishment of an identifier (for a SIREN, its head office). */
export function entityFor(
  id: Pick<RequestIdentifier, 'value' | 'kind'>,
  world: World,
): GenerationEntity {
  if (id.kind === 'siret') {
    const establishment = world.establishment(id.value)
    return { kind: 'siret', company: establishment.company, establishment }
  }
  const company = world.company(id.value)
  return { kind: 'siren', company, establishment: world.establishment(company.siretSiege) }
}

/** Creates the generator of a contract's response bodies. */
export function createDataGenerator(
  contract: Contract,
  options: DataGeneratorOptions,
): DataGenerator {
  const today = dayOf((options.today ?? REFERENCE_DATE).getTime())
  const locale = options.locale ?? contractLocale(contract)
  const random = createSeededFaker(locale)
  const world = createWorld(options.seed, options.facts)
  const schemas = new Map<string, JsonSchema | undefined>()
  for (const op of contract.operations) schemas.set(`${op.id} 200`, responseSchema(op, '200'))
  // The first example of a response that its schema accepts, by operation and status: it gives the
  // generated fields their shape (`"status": "active"` rather than words). Checked once, lazily.
  let compile: ((schema: JsonSchema) => (value: unknown) => boolean) | undefined
  const samples = new Map<string, unknown>()
  const sampleOf = (op: Operation, status: string, schema: JsonSchema, list: NamedExample[]) => {
    const key = `${op.id} ${status}`
    if (samples.has(key)) return samples.get(key)
    compile ??= createSchemaCompiler(createAjv(contract.openapi ?? '3.0.3'))
    const check = compile(schema)
    const found = list.find(
      (e) => e.value !== null && typeof e.value === 'object' && check(e.value),
    )
    samples.set(key, found?.value)
    return found?.value
  }
  const generate = (
    op: Operation,
    params: Readonly<Record<string, string>>,
    schema: JsonSchema,
    documentBaseUrl: string | undefined,
    sample?: unknown,
  ): unknown => {
    const id = findIdentifier(params) ?? findRna(params, world)
    const pairs = Object.keys(params)
      .sort()
      .map((k) => `${k}=${params[k]}`)
    const faker = random.forKey(options.seed, op.id, id?.value ?? '', ...pairs)
    const ctx = createGenerationContext({
      faker,
      seed: options.seed,
      locale,
      world,
      ...(id ? { entity: entityFor(id, world) } : {}),
      resolve: withHousehold(
        requestResolver(op, params, id, documentBaseUrl ?? options.documentBaseUrl),
        params,
        options.seed,
      ),
      ...periodOf(params),
      ...(options.nullRate ? { nullRate: options.nullRate } : {}),
      ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
    })
    return generateFromSchema(schema, ctx, sample)
  }
  return {
    today,
    generateBody: (op, params, status = '200', documentBaseUrl) =>
      onDay(today, () => generateBody(op, params, status, documentBaseUrl)),
    generateMedia: (op, params, status, media, documentBaseUrl) =>
      onDay(today, () => generateMedia(op, params, status, media, documentBaseUrl)),
  }

  function generateBody(
    op: Operation,
    params: Readonly<Record<string, string>>,
    status: string,
    documentBaseUrl: string | undefined,
  ): unknown {
    const cacheKey = `${op.id} ${status}`
    if (!schemas.has(cacheKey)) schemas.set(cacheKey, responseSchema(op, status))
    const schema = schemas.get(cacheKey)
    if (!schema) return undefined
    const response = op.responses[status]
    const sample =
      response?.schema === schema && response.examples.length
        ? sampleOf(op, status, schema, response.examples)
        : undefined
    return generate(op, params, schema, documentBaseUrl, sample)
  }

  function generateMedia(
    op: Operation,
    params: Readonly<Record<string, string>>,
    status: string,
    media: MediaSpec,
    documentBaseUrl: string | undefined,
  ): RenderedBody {
    const context = { title: op.summary ?? op.id, params }
    const type = essence(media.type)
    const textual = /^text\/|[+/](xml|yaml|csv)$|^application\/(x-)?yaml$/.test(type)
    const example = media.examples.find((e) => typeof e.value === 'string')?.value
    if (textual && typeof example === 'string' && example.trim() && !isJsonType(type))
      return renderBody(media, example, context)
    // A schema that says only "a string" (a file, a CSV text) tells less than the JSON answer.
    const bare =
      !media.schema ||
      (media.schema.type === 'string' && !media.schema.enum && !media.schema.pattern)
    const schema =
      bare && !isJsonType(type) ? (responseSchema(op, status) ?? media.schema) : media.schema
    const value = schema ? generate(op, params, schema, documentBaseUrl) : undefined
    return renderBody(media, value, context)
  }
}

/** The year and month a request asks about (`year`, `annee`, `month`, `mois`), when it names them. */
function periodOf(
  params: Readonly<Record<string, string>>,
): { period: { year?: number; month?: number } } | Record<string, never> {
  const year = Number(params.year ?? params.annee)
  const month = Number(params.month ?? params.mois)
  const period: { year?: number; month?: number } = {}
  if (Number.isInteger(year) && year >= 1900 && year <= 2999) period.year = year
  if (period.year !== undefined && Number.isInteger(month) && month >= 1 && month <= 12)
    period.month = month
  return period.year !== undefined ? { period } : {}
}

/** The schema of `status`, else of the first 2XX response that has one. */
function responseSchema(op: Operation, status: string): JsonSchema | undefined {
  const own = op.responses[status]?.schema
  if (own || !/^2/.test(status)) return own
  const success = Object.keys(op.responses)
    .filter((s) => /^2(\d\d|XX)$/i.test(s))
    .sort()
  for (const s of success) {
    const schema = op.responses[s]?.schema
    if (schema) return schema
  }
  return undefined
}

/** Adds the household of the person the request names (API Particulier), when it names one. */
function withHousehold(
  first: FieldResolver,
  params: Readonly<Record<string, string>>,
  seed: number,
): FieldResolver {
  const household = householdFor(params, seed)
  if (!household) return first
  const second = householdResolver(household, params)
  return (req) => first(req) ?? second(req)
}

const EXPIRES = /expires_in$/i
const DOCUMENT_URL = /^(document_)?url$/i

/**
 * Fields that depend on the request rather than on the company: document links point at the
 * sandbox's own document route, and `annee`/`mois` repeat the year and month asked for.
 */
function requestResolver(
  op: Operation,
  params: Readonly<Record<string, string>>,
  id: RequestIdentifier | undefined,
  documentBaseUrl: string,
): FieldResolver {
  const identifier =
    id?.value ?? Object.values(params).find((v) => /^[A-Za-z0-9_.-]+$/.test(v)) ?? 'document'
  return (req) => {
    const k = req.key.toLowerCase()
    const documentish = hasSibling(req.siblings, EXPIRES)
    if (k === 'document_url' || (k === 'url' && documentish)) {
      return [documentUrl(documentBaseUrl, op.id, identifier)]
    }
    if (/expires_in$/.test(k) && hasSibling(req.siblings, DOCUMENT_URL)) {
      const ex = req.node.example
      return [typeof ex === 'number' && Number.isInteger(ex) && ex > 0 ? ex : 86_400]
    }
    if (k === 'annee' && params.year && req.parentKey !== 'date_naissance')
      return [params.year, Number(params.year)]
    if (k === 'mois' && params.month && req.parentKey !== 'date_naissance')
      return [params.month, Number(params.month)]
    return undefined
  }
}
