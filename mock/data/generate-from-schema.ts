/**
 * Schema-driven generation for any OpenAPI 3.0/3.1 contract. Walks a (dereferenced) JSON Schema
 * and produces a value that satisfies it, as plausible as the field's name, the request's company
 * and the schema's example allow. For a primitive, the value comes from, in order: the caller's
 * resolver, the company/person/address the field describes, name heuristics, `const`/`enum`, the
 * format, the example, the pattern, the type. Every suggestion is checked against the schema's
 * constraints before it is kept, so constraints always win.
 */
import type { Faker } from '@faker-js/faker'
import type { JsonSchema } from '../contract/types.js'
import { suggestLength } from './field-hints.js'
import { fitsNode } from './fits.js'
import { leaf, request, type Place } from './generate-leaf.js'
import type { FieldResolver, GenerationContext, GenerationEntity } from './generation-types.js'
import { mergeAllOf } from './merge-schemas.js'
import { nodeOf, type SchemaNode } from './schema-node.js'
import type { World } from './world.js'

export type {
  FieldRequest,
  FieldResolver,
  GenerationContext,
  GenerationEntity,
} from './generation-types.js'

/** Options of {@link createGenerationContext}. */
export interface GenerationOptions {
  /** A seeded faker (see `createSeededFaker`). */
  faker: Faker
  /** Seed of the data set, for companies met along the way. Default `0`. */
  seed?: number
  /** The company the request is about. Default: none. */
  entity?: GenerationEntity
  /**
   * Nesting depth past which a recursive schema is cut short: optional properties left out, arrays
   * at their minimum. Finite schemas are generated whole, however deep. Default `8`.
   */
  maxDepth?: number
  /** The companies of the data set, corrected by fixture cases. Default: those of `seed`. */
  world?: World
  /** Resolver asked first for every primitive value. Default: none. */
  resolve?: FieldResolver
  /** `'en'`: English name hints instead of the French company and person records. Default `'fr'`. */
  locale?: 'fr' | 'en'
  /** The period the request asks about: dates, years and `millesime` follow it. Default: none. */
  period?: { year?: number; month?: number }
  /**
   * Share (0 to 1) of nullable values that come out `null` although the generator would fill them,
   * drawn from the seeded faker: clients that type such fields as always present meet production's
   * occasional nulls. Default `0`: null only where the field's meaning says absent.
   */
  nullRate?: number
}

/** Builds the context of one generation. */
export function createGenerationContext(options: GenerationOptions): GenerationContext {
  return {
    faker: options.faker,
    seed: options.seed ?? 0,
    locale: options.locale ?? 'fr',
    ...(options.entity ? { entity: options.entity } : {}),
    path: [],
    maxDepth: options.maxDepth ?? 8,
    ...(options.resolve ? { resolve: options.resolve } : {}),
    ...(options.period ? { period: options.period } : {}),
    ...(options.world ? { world: options.world } : {}),
    ...(options.nullRate ? { nullRate: options.nullRate } : {}),
    locals: new Map(),
    objects: [],
    items: new Map(),
    ancestors: [],
  }
}

const ROOT: Place = { key: '', parentKey: '', siblings: [], index: undefined }
/**
 * A recursive schema (a node met again among its own ancestors) is generated once whole; its
 * repeats get their required properties only and arrays at their minimum, so data stays finite.
 * Past this many repeats even required children are cut short (null when allowed): it must end.
 */
const HARD_STOP = 4
/** Values generated in one body past which optional properties are left out (huge schemas). */
const BUDGET = 20_000

/** How many times a node already appears among its ancestors (0 outside any recursion). */
function repeats(node: SchemaNode, ctx: GenerationContext): number {
  let n = 0
  // The node itself is the last ancestor.
  for (let i = ctx.ancestors.length - 2; i >= 0; i--) if (ctx.ancestors[i] === node) n++
  return n
}

/** Deep enough to stop adding optional content: past maxDepth, inside a recursion, or over budget. */
function cutShort(node: SchemaNode, ctx: GenerationContext): boolean {
  return (
    repeats(node, ctx) > 0 || ctx.ancestors.length > ctx.maxDepth * 3 || (ctx.count ?? 0) > BUDGET
  )
}

/** True when the null rate option draws `null` for this property (never without the option). */
function blankedByRate(node: SchemaNode, ctx: GenerationContext): boolean {
  if (!ctx.nullRate) return false
  const nullable =
    node.nullable ||
    (node.branches?.some((b) => {
      const n = nodeOf(b)
      return n.nullable || n.types[0] === 'null'
    }) ??
      false)
  return nullable && ctx.faker.number.float() < ctx.nullRate
}

/**
 * Generates a value that validates against `schema` (see the module note for the sources).
 * `sample`, an example of the whole value, gives each field without an example of its own one.
 */
export function generateFromSchema(
  schema: JsonSchema,
  ctx: GenerationContext,
  sample?: unknown,
): unknown {
  return walk(nodeOf(schema), ctx, sample === undefined ? ROOT : { ...ROOT, sample })
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function walk(node: SchemaNode, ctx: GenerationContext, place: Place): unknown {
  ctx.count = (ctx.count ?? 0) + 1
  if (node.branches) return walkBranches(node, node.branches, ctx, place)
  if (node.circular) return node.nullable ? null : {}
  const type = node.types[0]
  if ((type !== 'object' && type !== 'array') || node.enum || node.hasConst)
    return leaf(node, ctx, place)
  ctx.ancestors.push(node)
  try {
    if (repeats(node, ctx) > HARD_STOP) {
      if (node.nullable) return null
      if (type === 'array') return []
    }
    return type === 'object' ? walkObject(node, ctx, place) : walkArray(node, ctx, place)
  } finally {
    ctx.ancestors.pop()
  }
}

/**
 * `oneOf`/`anyOf`: the seeded faker picks a branch, preferring branches that are not only `null`.
 * For `oneOf`, a primitive value that another branch would accept too is drawn again from the
 * next branch, since exactly one branch may match.
 */
function walkBranches(
  node: SchemaNode,
  branches: JsonSchema[],
  ctx: GenerationContext,
  place: Place,
): unknown {
  const open = branches.filter((b) => b.type !== 'null')
  // Inside a recursion, a branch that ends (null, a primitive) is the way out.
  const deep = ctx.ancestors.some((a, i) => ctx.ancestors.indexOf(a) !== i)
  const pool = deep && open.length < branches.length ? branches : open.length ? open : branches
  const start =
    deep && pool !== open
      ? pool.findIndex((b) => b.type === 'null')
      : ctx.faker.number.int(pool.length - 1)
  const exclusive = Array.isArray(node.schema.oneOf)
  let value: unknown
  let fallback: unknown
  for (let i = 0; i < pool.length; i++) {
    const branch = pool[(start + i) % pool.length]!
    const branchNode = nodeOf(branch)
    value = walk(branchNode, ctx, place)
    if (i === 0) fallback = value
    if (typeof value === 'object' && value !== null) return value
    // A primitive must fit its own branch (an enum beside a `const` branch may exclude it)...
    if (!fitsNode(value, branchNode)) continue
    // ...and, for `oneOf`, no other branch: exactly one branch may match.
    if (!exclusive) return value
    if (!branches.some((other) => other !== branch && fitsNode(value, nodeOf(other)))) return value
  }
  return fallback
}

function walkObject(
  node: SchemaNode,
  ctx: GenerationContext,
  place: Place,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const short = cutShort(node, ctx)
  const names = node.names
  const sample = isRecord(place.sample) ? place.sample : undefined
  ctx.objects.push(out)
  for (const [name, child] of node.properties) {
    const required = node.required.has(name)
    if (!required && (short || child.writeOnly === true)) continue
    ctx.path.push(name)
    const childNode = nodeOf(child)
    out[name] = blankedByRate(childNode, ctx)
      ? null
      : walk(childNode, ctx, {
          key: name,
          parentKey: place.key,
          siblings: names,
          index: undefined,
          sample: sample?.[name],
        })
    ctx.path.pop()
  }
  // Required names without a schema, and room left by minProperties, get values of `additionalProperties`.
  const extra = typeof node.additional === 'object' ? node.additional : {}
  const wanted = node.unlisted.length ? [...node.unlisted] : []
  let free = node.properties.length === 0 && typeof node.additional === 'object' ? 1 : 0
  if (node.minProperties !== undefined && node.additional !== false) {
    free = Math.max(free, node.minProperties - Object.keys(out).length - wanted.length)
  }
  for (let i = 0; i < free; i++) wanted.push(`${ctx.locale === 'en' ? 'field' : 'champ'}_${i + 1}`)
  for (const name of wanted) {
    ctx.path.push(name)
    out[name] = walk(nodeOf(extra), ctx, {
      key: name,
      parentKey: place.key,
      siblings: names,
      index: undefined,
    })
    ctx.path.pop()
  }
  ctx.objects.pop()
  return out
}

function walkArray(node: SchemaNode, ctx: GenerationContext, place: Place): unknown[] | null {
  const prefix = node.prefixItems?.length ?? 0
  const wanted = node.contains ? node.minContains : 0
  const min = Math.max(node.minItems ?? 0, wanted)
  const max = Math.min(
    node.maxItems ?? Number.POSITIVE_INFINITY,
    node.closedItems ? prefix : Number.POSITIVE_INFINITY,
  )
  const clamp = (n: number): number => Math.min(Math.max(n, min), max)
  const deep = cutShort(node, ctx)
  const req = request(node, ctx, place)
  const natural = deep ? undefined : suggestLength(req)
  if (natural === null && node.nullable) return null
  const count = deep
    ? min
    : clamp(Math.max(prefix, natural ?? ctx.faker.number.int({ min: clamp(1), max: clamp(3) })))
  const out: unknown[] = []
  const samples = Array.isArray(place.sample) && place.sample.length ? place.sample : undefined
  const seen = node.uniqueItems ? new Set<string>() : undefined
  const position = ctx.path.length
  if (node.items) ctx.items.set(position, nodeOf(node.items).names)
  const containing = node.contains
    ? mergeAllOf({ allOf: [node.items ?? {}, node.contains] })
    : undefined
  for (let i = 0; i < count; i++) {
    // The first items satisfy `contains` (past the tuple's own positions).
    const item =
      node.prefixItems?.[i] ??
      (containing && i - prefix < wanted ? containing : undefined) ??
      node.items ??
      {}
    ctx.path.push(i)
    const at: Place = {
      key: place.key,
      parentKey: place.parentKey,
      siblings: place.siblings,
      sample: samples?.[i % samples.length],
      index: i,
    }
    let value = walk(nodeOf(item), ctx, at)
    // uniqueItems: a few redraws, then stop short (never below minItems).
    for (let tries = 0; seen?.has(JSON.stringify(value)) && tries < 5; tries++) {
      value = walk(nodeOf(item), ctx, { ...at, index: i + count * (tries + 1), sample: undefined })
    }
    ctx.path.pop()
    if (seen) {
      const key = JSON.stringify(value)
      if (seen.has(key) && out.length >= min) break
      seen.add(key)
    }
    out.push(value)
  }
  ctx.items.delete(position)
  return out
}
