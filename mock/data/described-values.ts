/**
 * Values a schema lists in prose rather than in an `enum`: the code tables of descriptions
 * (`- IS: Impôt sur les sociétés`), quoted values (`'Loi 1901' et 'Alsace-Moselle'`), and the example
 * of an array for its items. Read once per schema object.
 */
import type { JsonSchema } from '../contract/types.js'

export interface DescribedValues {
  /** `[code, label]` pairs of a code table, in the description's order. */
  pairs: [string, string][]
  /** Values quoted in the description after words that announce them ("valeurs possibles"...). */
  quoted: string[]
}

const cache = new WeakMap<object, DescribedValues>()
/** `- CODE: label`, `* CODE = label`, `CODE : label` at the start of a line. */
const TABLE_LINE = /^\s*([-*•]\s*)?([A-Za-z0-9][A-Za-z0-9 _./-]{0,30}?)\s*(?::|=|→|–)\s+(.+?)\s*$/
/** Words that announce a list of values in the prose around quoted ones. */
const ANNOUNCE =
  /valeurs?|possibles?|peut (?:être|valoir|prendre)|peuvent|soit|parmi|values?|either|one of/i
const QUOTED = /'([^'\n]{1,60})'|"([^"\n]{1,60})"|`([^`\n]{1,60})`|«\s*([^»\n]{1,60}?)\s*»/g

/** The values the schema's description lists (empty lists when it lists none). */
export function describedValues(schema: JsonSchema): DescribedValues {
  let found = cache.get(schema)
  if (!found) {
    found = read(typeof schema.description === 'string' ? schema.description : '')
    cache.set(schema, found)
  }
  return found
}

function read(text: string): DescribedValues {
  const pairs: [string, string][] = []
  const lines = text.split(/\r?\n/)
  // A table is at least two lines of the same shape; a lone "Source: https://..." is no table.
  // Rows are bullets, or lines that start with an upper-case code (`RN: Réel normal`).
  const rows = lines
    .map((line) => TABLE_LINE.exec(line))
    .filter((m) => m !== null && (m[1] !== undefined || /^[A-Z0-9][A-Z0-9 _./-]*$/.test(m[2]!)))
    .map((m) => [m![2]!, m![3]!] as const)
  if (rows.length >= 2) {
    for (const [codes, text] of rows) {
      const label = text
        .replace(/\s*FIXME.*$/i, '')
        .replace(/[.;,]$/, '')
        .trim()
      if (!label || /^https?:/.test(label)) continue
      // `RSI ou RS: Réel simplifié`: each code gets the label.
      for (const code of codes.split(/\s+(?:ou|or)\s+|\s*,\s*/)) {
        if (code.trim()) pairs.push([code.trim(), label])
      }
    }
  }
  const quoted: string[] = []
  if (ANNOUNCE.test(text)) {
    for (const m of text.matchAll(QUOTED)) {
      const value = (m[1] ?? m[2] ?? m[3] ?? m[4])!.trim()
      if (value && !/^https?:/.test(value) && !quoted.includes(value)) quoted.push(value)
    }
  }
  return { pairs, quoted }
}

/** The label a description's code table gives `code`, if any. */
export function labelOf(schema: JsonSchema, code: unknown): string | undefined {
  if (typeof code !== 'string') return undefined
  return describedValues(schema).pairs.find(([c]) => c === code)?.[1]
}
