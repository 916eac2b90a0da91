/**
 * Schema composition: `allOf` merged into one schema, and `oneOf`/`anyOf` branches merged with the
 * keywords written beside them, each computed once per schema object.
 */
import type { JsonSchema } from '../contract/types.js'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Merges an `allOf` into one schema: properties and `required` unite, other keywords stack up. */
export function mergeAllOf(schema: JsonSchema): JsonSchema {
  const { allOf, ...rest } = schema
  // A recursive schema merged into itself (A: allOf [B], B.x: allOf [A]) stops here, unmerged.
  if (merging > MAX_MERGE_DEPTH) return schema
  merging++
  try {
    let merged: JsonSchema = {}
    for (const part of [...(allOf as unknown[]), rest]) {
      if (!isObj(part)) continue
      const flat = Array.isArray(part.allOf) ? mergeAllOf(part) : part
      merged = mergeTwo(merged, flat)
    }
    return merged
  } finally {
    merging--
  }
}

let merging = 0
const MAX_MERGE_DEPTH = 24

const branchCache = new WeakMap<object, Map<object, JsonSchema>>()

/** A `oneOf`/`anyOf` branch merged with the keywords written beside the `oneOf`. */
export function mergeBranch(parent: JsonSchema, branch: JsonSchema): JsonSchema {
  let byBranch = branchCache.get(parent)
  if (!byBranch) branchCache.set(parent, (byBranch = new Map()))
  let merged = byBranch.get(branch)
  if (!merged) {
    const base = Object.fromEntries(
      Object.entries(parent).filter(
        ([k]) => k !== 'oneOf' && k !== 'anyOf' && k !== 'discriminator',
      ),
    )
    merged = Object.keys(base).length === 0 ? branch : mergeAllOf({ allOf: [base, branch] })
    byBranch.set(branch, merged)
  }
  return merged
}

function mergeTwo(a: JsonSchema, b: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...a }
  for (const [key, value] of Object.entries(b)) {
    const prev = out[key]
    if (key === 'properties' && isObj(prev) && isObj(value)) {
      const props: Obj = { ...prev }
      for (const [name, sub] of Object.entries(value)) {
        props[name] =
          isObj(props[name]) && isObj(sub) ? mergeAllOf({ allOf: [props[name] as Obj, sub] }) : sub
      }
      out.properties = props
    } else if (key === 'enum' && Array.isArray(prev) && Array.isArray(value)) {
      const both = prev.filter((v) => value.some((w) => JSON.stringify(w) === JSON.stringify(v)))
      out.enum = both.length ? both : value
    } else if (key === 'required' && Array.isArray(prev) && Array.isArray(value)) {
      out.required = [...new Set([...prev, ...value])]
    } else if (key === 'type' && prev !== undefined) {
      const left = Array.isArray(prev) ? prev : [prev]
      const right = Array.isArray(value) ? value : [value]
      const both = left.filter(
        (t) => right.includes(t) || (t === 'integer' && right.includes('number')),
      )
      out.type = both.length ? both : right
    } else if (
      (key === 'minimum' || key === 'minLength' || key === 'minItems') &&
      typeof prev === 'number'
    ) {
      out[key] = Math.max(prev, value as number)
    } else if (
      (key === 'maximum' || key === 'maxLength' || key === 'maxItems') &&
      typeof prev === 'number'
    ) {
      out[key] = Math.min(prev, value as number)
    } else {
      out[key] = value
    }
  }
  return out
}
