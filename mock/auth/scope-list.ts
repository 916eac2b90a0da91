const interned = new Map<string, readonly string[]>()
const MAX_LISTS = 1000

/**
 * One frozen array per distinct list of scopes: every call made with the same privileges shares it,
 * so that what is derived from it (its JSON in a journal line) is computed once. Bounded: past
 * {@link MAX_LISTS} distinct lists, the table starts over.
 */
export function internScopes(scopes: readonly string[]): readonly string[] {
  const key = scopes.join(' ')
  let list = interned.get(key)
  if (list === undefined) {
    if (interned.size >= MAX_LISTS) interned.clear()
    list = Object.freeze([...scopes])
    interned.set(key, list)
  }
  return list
}
