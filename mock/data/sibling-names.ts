/**
 * "Does the enclosing object have a property named like this?", asked for every field of an object
 * and answered once per object schema: the names array of a schema node is shared by all its fields.
 */
const answers = new WeakMap<readonly string[], Map<RegExp, boolean>>()

/** True when one of `names` matches `pattern`; memoised by the identity of `names`. */
export function hasSibling(names: readonly string[], pattern: RegExp): boolean {
  let byPattern = answers.get(names)
  if (!byPattern) answers.set(names, (byPattern = new Map()))
  let answer = byPattern.get(pattern)
  if (answer === undefined) {
    answer = names.some((name) => pattern.test(name))
    byPattern.set(pattern, answer)
  }
  return answer
}
