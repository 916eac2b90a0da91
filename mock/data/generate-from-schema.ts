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
import { nodeOf, type SchemaNode } from './schema-node.js'

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
  /** Resolver asked first for every primitive value. Default: none. */
  resolve?: FieldResolver
}

/** Builds the context of one generation. */
export function createGenerationContext(options: GenerationOptions): GenerationContext {
  return {
    faker: options.faker,
    seed: options.seed ?? 0,
    ...(options.entity ? { entity: options.entity } : {}),
    path: [],
    maxDepth: options.maxDepth ?? 8,
    ...(options.resolve ? { resolve: options.resolve } : {}),
    locals: new Map(),
    objects: [],
    items: new Map(),
    ancestors: [],
  }
}

const ROOT: Place = { key: '', parentKey: '', siblings: [], index: undefined }
/** Past `maxDepth + HARD_STOP`, even required children of a recursive schema are cut: it must end. */
const HARD_STOP = 4

/** How deep a recursion has gone: 0 outside any cycle, else the current nesting depth. */
function recursionDepth(node: SchemaNode, ctx: GenerationContext): number {
  // The node itself is the last ancestor; an earlier occurrence means we are inside a cycle.
  const first = ctx.ancestors.indexOf(node)
  return first >= 0 && first < ctx.ancestors.length - 1 ? ctx.ancestors.length - 1 : 0
}

/** Generates a value that validates against `schema` (see the module note for the sources). */
export function generateFromSchema(schema: JsonSchema, ctx: GenerationContext): unknown {
  return walk(nodeOf(schema), ctx, ROOT)
}

function walk(node: SchemaNode, ctx: GenerationContext, place: Place): unknown {
  if (node.branches) return walkBranches(node, node.branches, ctx, place)
  if (node.circular) return {}
  const type = node.types[0]
  if ((type !== 'object' && type !== 'array') || node.enum || node.hasConst)
    return leaf(node, ctx, place)
  ctx.ancestors.push(node)
  const value = type === 'object' ? walkObject(node, ctx, place) : walkArray(node, ctx, place)
  ctx.ancestors.pop()
  return value
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
  const pool = open.length ? open : branches
  const start = ctx.faker.number.int(pool.length - 1)
  const exclusive = Array.isArray(node.schema.oneOf)
  let value: unknown
  for (let i = 0; i < pool.length; i++) {
    const branch = pool[(start + i) % pool.length]!
    value = walk(nodeOf(branch), ctx, place)
    if (!exclusive || (typeof value === 'object' && value !== null)) return value
    if (!branches.some((other) => other !== branch && fitsNode(value, nodeOf(other)))) return value
  }
  return value
}

function walkObject(
  node: SchemaNode,
  ctx: GenerationContext,
  place: Place,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const depth = recursionDepth(node, ctx)
  if (depth > ctx.maxDepth + HARD_STOP) return out
  const names = node.names
  ctx.objects.push(out)
  for (const [name, child] of node.properties) {
    const required = node.required.has(name)
    if (!required && (depth >= ctx.maxDepth || child.writeOnly === true)) continue
    ctx.path.push(name)
    out[name] = walk(nodeOf(child), ctx, {
      key: name,
      parentKey: place.key,
      siblings: names,
      index: undefined,
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
  for (let i = 0; i < free; i++) wanted.push(`${ctx.faker.lorem.word()}_${i + 1}`)
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
  const min = node.minItems ?? 0
  const max = node.maxItems ?? Number.POSITIVE_INFINITY
  const clamp = (n: number): number => Math.min(Math.max(n, min), max)
  const deep = recursionDepth(node, ctx) >= ctx.maxDepth
  const req = request(node, ctx, place)
  const natural = deep ? undefined : suggestLength(req)
  if (natural === null && node.nullable) return null
  const count = deep
    ? min
    : clamp(natural ?? ctx.faker.number.int({ min: clamp(1), max: clamp(3) }))
  const out: unknown[] = []
  const seen = node.uniqueItems ? new Set<string>() : undefined
  const position = ctx.path.length
  if (node.items) ctx.items.set(position, nodeOf(node.items).names)
  for (let i = 0; i < count; i++) {
    const item = node.prefixItems?.[i] ?? node.items ?? {}
    ctx.path.push(i)
    const at: Place = {
      key: place.key,
      parentKey: place.parentKey,
      siblings: place.siblings,
      index: i,
    }
    let value = walk(nodeOf(item), ctx, at)
    // uniqueItems: a few redraws, then stop short (never below minItems).
    for (let tries = 0; seen?.has(JSON.stringify(value)) && tries < 5; tries++) {
      value = walk(nodeOf(item), ctx, { ...at, index: i + count * (tries + 1) })
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
