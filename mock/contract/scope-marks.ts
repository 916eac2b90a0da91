/** The extension that marks a response field with the scopes that show it. */
export const SCOPES_KEY = 'x-sandbox-scopes'

/** What a contract's document says with `x-sandbox-scopes`, read once when it is loaded. */
export interface ScopeMarks {
  /** Some object of the document has the key (its value right or wrong). */
  readonly present: boolean
  /** Every string of every `x-sandbox-scopes` list, once each, in the order first met. */
  readonly names: readonly string[]
}

/**
 * Reads the document's `x-sandbox-scopes` marks in one walk. Iterative, each object looked at once
 * however many places share it, without copying any object's entries: the resolved document of a
 * large contract holds some ten thousand objects, some in cycles. Done at load, and kept with a loaded
 * contract (`parse-cache.ts`), so that a warm start walks nothing.
 */
export function readScopeMarks(root: unknown): ScopeMarks {
  const names = new Set<string>()
  let present = false
  const seen = new Set<object>()
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()
    if (typeof node !== 'object' || node === null || seen.has(node)) continue
    seen.add(node)
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === 'object' && item !== null) stack.push(item)
      continue
    }
    const obj = node as Record<string, unknown>
    for (const key in obj) {
      if (!Object.hasOwn(obj, key)) continue
      const value = obj[key]
      if (key === SCOPES_KEY) {
        present = true
        if (Array.isArray(value)) for (const s of value) if (typeof s === 'string') names.add(s)
      } else if (typeof value === 'object' && value !== null) stack.push(value)
    }
  }
  return { present, names: [...names] }
}
