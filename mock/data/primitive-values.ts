/**
 * Type-based fallbacks, used when no suggestion fits: strings from the format, the example, the
 * pattern or text that fits the field (see `freeText`); numbers within the bounds, around the example, on `multipleOf`.
 */
import type { Faker } from '@faker-js/faker'
import { fitsNode, isMultipleOf } from './fits.js'
import { freeText } from './free-text.js'
import type { GenerationContext } from './generation-types.js'
import { samplePattern } from './pattern-sample.js'
import type { SchemaNode } from './schema-node.js'
import { valueForFormat, varyExample, withIdentifiers } from './values.js'

/** Keys whose example is a code or an identifier: its digits are redrawn, its shape kept. */
const CODE_KEY = /(^|_)(id|code|codes|numero|num|no|reference|ref|identifiant|cle|key)(_|$)|^id/i

/** A string for a node: format, then example, then pattern, then words within the length bounds. */
export function stringFor(node: SchemaNode, ctx: GenerationContext, key: string): string {
  const { faker } = ctx
  if (node.format) {
    const value = valueForFormat(node.format, faker, ctx.locale)
    if (value !== undefined && fitsNode(value, node)) return value
    // A pattern that fixes how the value starts (`^2024`, `^10\\.`): the format's value, so begun.
    const prefix = value === undefined ? undefined : literalPrefix(node.pattern)
    if (value !== undefined && prefix) {
      const sep = prefix[prefix.length - 1]!
      const rest = /[A-Za-z0-9]/.test(sep)
        ? value.slice(prefix.length)
        : value.slice(value.indexOf(sep) + 1)
      if (fitsNode(prefix + rest, node)) return prefix + rest
    }
    // Too long for maxLength: the shortest value of that format.
    const short = SHORT_FORMATS[node.format]?.(node.maxLength ?? 20, faker)
    if (short !== undefined && fitsNode(short, node)) return short
  }
  if (typeof node.example === 'string') {
    const value = fromExample(node.example, ctx, key)
    if (fitsNode(value, node)) return value
    if (fitsNode(node.example, node)) return node.example
  }
  if (node.pattern) {
    const fromPattern = sampleFitting(node, faker)
    if (fromPattern !== undefined) return fromPattern
  }
  const text = freeText(node, ctx, key)
  if (fitsNode(text, node) || !node.pattern) return text
  // Words that break the pattern are never sent: the example, then the pattern without its bounds.
  if (typeof node.example === 'string' && fitsNode(node.example, node)) return node.example
  return text
}

/** The literal text an anchored pattern starts with (`^2024-` → `2024-`, `^10\\.` → `10.`). */
function literalPrefix(pattern: RegExp | undefined): string | undefined {
  const m = pattern && /^\^((?:[A-Za-z0-9 _:/-]|\\[.\-/:+])+)/.exec(pattern.source)
  return m ? m[1]!.replace(/\\(.)/g, '$1') : undefined
}

/** The shortest plausible value of a format, within `max` characters. */
const SHORT_FORMATS: Record<string, (max: number, faker: Faker) => string> = {
  email: (max, faker) =>
    `${faker.string.alpha({ length: Math.max(1, Math.min(8, max - 6)), casing: 'lower' })}@ex.fr`,
  'idn-email': (max, faker) =>
    `${faker.string.alpha({ length: Math.max(1, Math.min(8, max - 6)), casing: 'lower' })}@ex.fr`,
  uri: () => 'https://ex.fr',
  url: () => 'https://ex.fr',
  hostname: () => 'ex.fr',
}

/** Lookarounds and back-references, which the sampler cannot draw from. */
const LOOKAROUND = /\(\?<?[=!](?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)/g

/** A string drawn from the node's pattern that fits every other constraint too, if one is found. */
function sampleFitting(node: SchemaNode, faker: Faker): string | undefined {
  const source = node.pattern!.source
  for (const pattern of [source, source.replace(LOOKAROUND, '')]) {
    for (let tries = 0; tries < 8; tries++) {
      let value: string
      try {
        value = samplePattern(pattern, faker)
      } catch {
        break // a construct the sampler does not know: try the next form
      }
      if (fitsNode(value, node)) return value
      // Too short or too long for minLength/maxLength: the sampler drew an unbounded repeat badly.
    }
    if (pattern === source.replace(LOOKAROUND, '')) break
  }
  return undefined
}

function fromExample(example: string, ctx: GenerationContext, key: string): string {
  const entity = ctx.entity
  // A SIREN or SIRET inside the example (a link, an EORI number) becomes the request's own.
  if (entity && /(?<!\d)(\d{14}|\d{9})(?!\d)/.test(example)) {
    return withIdentifiers(example, entity.company.siren, entity.establishment.siret)
  }
  if (CODE_KEY.test(key) && /\d/.test(example) && !/:\/\/|^\d{4}-\d{2}-\d{2}/.test(example)) {
    return varyExample(example, ctx.faker)
  }
  return example
}

/** A number within the node's bounds (around its example when unbounded), on `multipleOf`. */
export function numberFor(node: SchemaNode, faker: Faker): number {
  // A `number` whose example is whole (a rank, a count) gets whole values too.
  const wholeExample = typeof node.example === 'number' && Number.isInteger(node.example)
  const integer =
    node.types[0] === 'integer' ||
    node.format === 'int32' ||
    node.format === 'int64' ||
    (wholeExample &&
      node.multipleOf === undefined &&
      node.format !== 'float' &&
      node.format !== 'double')
  let [lo, hi] = range(node, integer)
  if (integer) {
    lo = node.exclusiveMin && lo === node.minimum ? Math.floor(lo) + 1 : Math.ceil(lo)
    hi = node.exclusiveMax && hi === node.maximum ? Math.ceil(hi) - 1 : Math.floor(hi)
  } else {
    const eps = Math.max((hi - lo) / 1000, 1e-6)
    if (node.exclusiveMin && lo === node.minimum) lo += eps
    if (node.exclusiveMax && hi === node.maximum) hi -= eps
  }
  if (node.multipleOf) return onMultiple(node, faker, lo, hi, node.multipleOf)
  if (hi < lo) return lo
  if (integer) return faker.number.int({ min: lo, max: hi })
  // A range narrower than a hundredth holds no two-decimal value: its middle.
  if (hi - lo < 0.01) return (lo + hi) / 2
  const value = faker.number.float({ min: lo, max: hi, fractionDigits: 2 })
  return fitsNode(value, node) ? value : (lo + hi) / 2
}

function range(node: SchemaNode, integer: boolean): [number, number] {
  const { minimum: lo, maximum: hi } = node
  const ex =
    typeof node.example === 'number' && fitsNode(node.example, node) ? node.example : undefined
  if (lo === undefined && hi === undefined) {
    if (ex === undefined) return [0, integer ? 1000 : 10_000]
    const spread = Math.max(Math.abs(ex) * 0.5, integer ? 5 : 1)
    return [ex >= 0 ? Math.max(0, ex - spread) : ex - spread, ex + spread]
  }
  if (lo === undefined) return [hi! >= 0 ? 0 : hi! - 1000, hi!]
  if (hi === undefined) return [lo, lo + (ex !== undefined && ex > lo ? 2 * (ex - lo) : 1000)]
  return [lo, hi]
}

function onMultiple(node: SchemaNode, faker: Faker, lo: number, hi: number, m: number): number {
  const decimals = (String(m).split('.')[1] ?? '').length
  const kMin = Math.ceil(lo / m)
  const kMax = Math.max(kMin, Math.floor(hi / m))
  const at = (k: number): number => Number((k * m).toFixed(decimals)) + 0
  for (let tries = 0; tries < 10; tries++) {
    const value = at(faker.number.int({ min: kMin, max: kMax }))
    if (fitsNode(value, node)) return value
  }
  // Floating multiples that divide badly (0.3 / 0.1): walk the range for one that divides exactly.
  for (let k = kMin; k <= kMax && k < kMin + 1000; k++)
    if (isMultipleOf(at(k), m) && fitsNode(at(k), node)) return at(k)
  return at(kMin)
}
