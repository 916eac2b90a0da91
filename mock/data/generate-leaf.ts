/**
 * Primitive values: the first suggestion that fits (caller, entity, heuristics), else `const`,
 * `enum`, then the type-based fallbacks.
 */
import { NONE, suggest } from './field-hints.js'
import { codePoints, fitsNode } from './fits.js'
import type { FieldRequest, GenerationContext } from './generation-types.js'
import { numberFor, stringFor } from './primitive-values.js'
import type { SchemaNode } from './schema-node.js'
import { matchCase } from './values.js'

/** Where a value sits, as seen from its parent. */
export interface Place {
  key: string
  parentKey: string
  siblings: readonly string[]
  index: number | undefined
  /** The value at this place in the example the contract gives for the whole body, if any. */
  sample?: unknown
}

export function request(node: SchemaNode, ctx: GenerationContext, place: Place): FieldRequest {
  // Spelled out: an object spread here is the generator's hottest line (megamorphic clone).
  const { key, parentKey, siblings, index } = place
  return { key, parentKey, siblings, index, node, ctx }
}

export function leaf(given: SchemaNode, ctx: GenerationContext, place: Place): unknown {
  // The body's example says what this field holds when the field itself gives no example.
  const sample = place.sample
  const node =
    given.example === undefined &&
    sample !== undefined &&
    sample !== null &&
    typeof sample !== 'object' &&
    fitsNode(sample, given)
      ? { ...given, example: sample }
      : given
  const suggested = suggest(request(node, ctx, place), (value) => keep(value, node))
  if (suggested !== NONE) return suggested
  if (node.hasConst) return node.const
  if (node.enum) {
    // Values the other keywords allow too (an enum merged with a type, a pattern...).
    const open = node.enum.filter((v) => v !== null)
    const fitting = open.filter((v) => fitsNode(v, node))
    const values = fitting.length ? fitting : open
    // The contract's example is the common case (an attestation delivered, a company active): it
    // comes out about half the time, the other values share the rest.
    if (values.length > 1 && values.includes(node.example as never) && ctx.faker.datatype.boolean())
      return node.example
    if (values.length) return values[ctx.faker.number.int(values.length - 1)]
    // An empty enum allows nothing: the example, else null, is the least wrong answer.
    return node.example !== undefined ? node.example : null
  }
  switch (node.types[0]) {
    case 'string':
      return stringFor(node, ctx, place.key)
    case 'integer':
    case 'number':
      return numberFor(node, ctx.faker)
    case 'boolean':
      return ctx.faker.datatype.boolean()
    case 'null':
      return null
    default:
      return node.example !== undefined ? node.example : stringFor(node, ctx, place.key)
  }
}

/** The value itself, or an adaptation of it (letter case, length), when it fits; else `NONE`. */
function keep(value: unknown, node: SchemaNode): unknown {
  if (typeof value !== 'string') return fitsNode(value, node) ? value : NONE
  const cased = matchCase(value, node.example)
  if (cased !== value && fitsNode(cased, node)) return cased
  if (fitsNode(value, node)) return value
  if (node.maxLength !== undefined && codePoints(value) > node.maxLength) {
    const cut = [...value].slice(0, node.maxLength).join('').trimEnd()
    if (fitsNode(cut, node)) return cut
  }
  return NONE
}
