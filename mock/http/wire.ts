/**
 * The admin surface speaks snake_case: every JSON body under `/__sandbox/` (the journal and its
 * exports, the report, certification and scenario answers) names its fields so, like the OAuth
 * fields it sits beside (`client_id`, `expires_in`). The server's own types stay camelCase; they are
 * converted here, on the way out.
 */

const cache = new Map<string, string>()

/** `sandboxAt` → `sandbox_at`; a name already in snake_case is unchanged. */
export function snakeCase(name: string): string {
  let out = cache.get(name)
  if (out === undefined) {
    out = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
    if (cache.size < 1000) cache.set(name, out)
  }
  return out
}

/**
 * Fields whose value is a map keyed by data the user chose (a request's identifying parameters are
 * the contract's own names): their keys are left as they are.
 */
const OPAQUE = new Set(['ref'])

/** A copy of `value` with every object key in snake_case (arrays and nested objects included). */
export function toWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toWire)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (field === undefined) continue
    out[snakeCase(key)] = OPAQUE.has(key) ? field : toWire(field)
  }
  return out
}

/** A camelCase name in snake_case, at the type level: `SnakeCase<'sandboxAt'>` is `'sandbox_at'`. */
export type SnakeCase<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${SnakeCase<T>}`
  : S

/** An object as {@link toWire} gives it (top-level keys; enough for the flat journal entry). */
export type Wire<T> = { [K in keyof T as K extends string ? SnakeCase<K> : K]: T[K] }
