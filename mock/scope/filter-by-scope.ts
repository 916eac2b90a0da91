import { LRUCache } from 'lru-cache'
import type { SandboxContext } from '../context.js'
import type { Stage } from '../http/exchange.js'
import type { JsonSchema, Operation } from '../contract/types.js'
import { blankValue, formatPath, ITEM, requiredFields } from './schema-fields.js'

/** Response header listing the fields withheld for lack of scope: `path=scope1|scope2, ...`. */
export const WITHHELD_HEADER = 'sandbox-withheld-fields'
import { ANY, type ScopeNode } from './scope-tree.js'

/** What minimisation did to one answer. */
export interface ScopeOutcome {
  /** Dotted paths of the leaves left in the body (array items as `[]`), sorted. */
  fields: readonly string[]
  /** Dotted paths of the fields withheld (removed, or blanked to `null`), sorted. */
  withheld: readonly string[]
  /** Each withheld path with the scopes that would have shown it: `path=scope1|scope2`, sorted. */
  withheldBy: readonly string[]
  /** Scopes held that let through at least one field holding data (a non-null value somewhere), sorted. */
  unlocking: readonly string[]
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Removes from `body` (in place) every field whose scopes the holder has none of, and reports what it
 * delivered. A `*` node applies to every array item or object value; an array met where the tree names
 * a field of its items (no `*`) is walked through, so both spellings of a path work.
 */
export function applyScopes(
  body: unknown,
  root: ScopeNode,
  held: ReadonlySet<string>,
  required: ReadonlyMap<string, JsonSchema> = new Map(),
): ScopeOutcome {
  const withheld = new Set<string>()
  const withheldBy = new Set<string>()
  const unlocking = new Set<string>()
  const visit = (value: unknown, node: ScopeNode, segments: string[]): void => {
    if (Array.isArray(value)) {
      const items = node.children.get(ANY) ?? node
      if (items !== node && items.scopes && !items.scopes.some((s) => held.has(s))) {
        if (value.length > 0) {
          withheld.add(formatPath([...segments, ITEM]))
          withheldBy.add(`${formatPath([...segments, ITEM])}=${items.scopes.join('|')}`)
        }
        value.length = 0
        return
      }
      for (const item of value) visit(item, items, [...segments, ITEM])
      return
    }
    if (!isObject(value)) return
    for (const key of Object.keys(value)) {
      for (const child of [node.children.get(key), node.children.get(ANY)]) {
        if (!child) continue
        if (child.scopes) {
          const granted = child.scopes.filter((s) => held.has(s))
          if (granted.length === 0) {
            const path = formatPath([...segments, key])
            // A field the schema requires stays, blanked (null where allowed, an object of nulls...):
            // a strict client still parses the answer. Otherwise it goes; the header says so.
            const schema = required.get(path)
            const blank = schema ? blankValue(schema) : undefined
            if (blank === undefined) delete value[key]
            else value[key] = blank
            withheld.add(path)
            withheldBy.add(`${path}=${child.scopes.join('|')}`)
            break
          }
          if (hasData(value[key])) for (const s of granted) unlocking.add(s)
        }
        visit(value[key], child, [...segments, key])
      }
    }
  }
  visit(body, root, [])
  // Frozen: an outcome is cached and shared by every answer of the same body and scopes, and the
  // journal serialises a frozen list once (`journal-line.ts`).
  return {
    fields: Object.freeze(leafPaths(body)),
    withheld: Object.freeze([...withheld].sort()),
    withheldBy: Object.freeze([...withheldBy].sort()),
    unlocking: Object.freeze([...unlocking].sort()),
  }
}

/** True when a value holds at least one non-null scalar (an object of nulls delivers nothing). */
const hasData = (v: unknown): boolean =>
  v !== null && v !== undefined && (typeof v !== 'object' || Object.values(v).some(hasData))

/** Dotted paths of a JSON value's leaves (scalars, null, empty objects and arrays), array items as `[]`. */
export function leafPaths(value: unknown): string[] {
  const out = new Set<string>()
  const walk = (v: unknown, segments: string[]): void => {
    if (Array.isArray(v) && v.length > 0) for (const item of v) walk(item, [...segments, ITEM])
    else if (isObject(v) && Object.keys(v).length > 0)
      for (const [k, sub] of Object.entries(v)) walk(sub, [...segments, k])
    else if (segments.length > 0) out.add(formatPath(segments))
  }
  walk(value, [])
  return [...out].sort()
}

const NO_SCOPES: readonly string[] = Object.freeze([])

const isJson = (contentType: string | undefined): boolean =>
  contentType === undefined || /[/+]json\b/i.test(contentType)

/**
 * Filter by scope (minimisation), a response stage: on a success answer of an operation that has
 * scoped fields, removes the fields the credential lacks every scope of, and notes on the exchange
 * the fields delivered (`notes.fields`), removed (`notes.withheld`) and the scopes that unlocked some
 * (`notes.fieldScopes`). An operation without scoped fields costs one map lookup: its body, even a
 * pre-serialised one, is never parsed. In plain-mock mode (`auth: false`) nothing is filtered.
 */
export function filterByScope(ctx: SandboxContext): Stage {
  const table = ctx.fieldScopes
  if (!ctx.options.auth || table.size === 0) return () => undefined
  // Answers are deterministic: the same serialised body filtered for the same scopes gives the same
  // result, so it is kept, keyed by the body string itself (the resolve stage hands out one cached
  // instance per resource, whose hash V8 computes once).
  const filtered = new LRUCache<string, Map<string, { raw: string; outcome: ScopeOutcome }>>({
    max: 2000,
  })
  const requiredOf = new WeakMap<Operation, Map<string, JsonSchema>>()
  const required = (op: Operation): Map<string, JsonSchema> => {
    let map = requiredOf.get(op)
    if (!map) requiredOf.set(op, (map = requiredFields(op)))
    return map
  }
  // A credential's scopes as a key, sorted: made once per frozen list (the token check hands out
  // one interned list per distinct set of scopes), an unfrozen one each time.
  const scopeKeys = new WeakMap<readonly string[], string>()
  const keyOfScopes = (scopes: readonly string[]): string => {
    let key = scopeKeys.get(scopes)
    if (key === undefined) {
      key = [...scopes].sort().join(' ')
      if (Object.isFrozen(scopes)) scopeKeys.set(scopes, key)
    }
    return key
  }
  const note = (ex: Parameters<Stage>[0], outcome: ScopeOutcome): void => {
    ex.notes.fields = outcome.fields
    if (outcome.withheld.length > 0) {
      ex.notes.withheld = outcome.withheld
      ex.notes.withheldBy = outcome.withheldBy
      // Which fields were withheld, and which scope would have shown each.
      ex.headers[WITHHELD_HEADER] = outcome.withheldBy.join(', ')
    }
    if (outcome.unlocking.length > 0) ex.notes.fieldScopes = outcome.unlocking
  }
  return (ex) => {
    const reply = ex.reply
    if (!reply || reply.status < 200 || reply.status >= 300 || !ex.operation) return
    const root = table.get(ex.operation.id)
    if (!root) return
    const raw =
      reply.body === undefined && typeof reply.raw === 'string' && isJson(reply.contentType)
        ? reply.raw
        : undefined
    const scopesKey = raw === undefined ? '' : keyOfScopes(ex.identity?.scopes ?? NO_SCOPES)
    const known = raw === undefined ? undefined : filtered.get(raw)?.get(scopesKey)
    if (known) {
      reply.raw = known.raw
      note(ex, known.outcome)
      return
    }
    let body: unknown
    if (reply.body !== undefined) {
      // Bodies may be shared (a cached answer): filter a copy.
      body = structuredClone(reply.body)
    } else if (typeof reply.raw === 'string' && isJson(reply.contentType)) {
      try {
        body = JSON.parse(reply.raw)
      } catch {
        return // not JSON after all: nothing to filter
      }
    } else {
      return
    }
    const outcome = applyScopes(
      body,
      root,
      new Set(ex.identity?.scopes ?? []),
      required(ex.operation),
    )
    note(ex, outcome)
    if (raw !== undefined) {
      const result = { raw: JSON.stringify(body), outcome }
      let byScopes = filtered.get(raw)
      if (!byScopes) filtered.set(raw, (byScopes = new Map()))
      byScopes.set(scopesKey, result)
      reply.raw = result.raw
      return
    }
    reply.body = body
    delete reply.raw
  }
}
