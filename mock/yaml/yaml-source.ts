import { LineCounter, parseDocument } from 'yaml'

/** A YAML file parsed for checking: its value, and the line of any place in it. */
export interface YamlSource {
  value: unknown
  /** 1-based line of the node at a JSON pointer (`/groups/json/limit`), or of its nearest parent. */
  lineOf(pointer: string): number
}

/** A YAML syntax error with its place. */
export interface YamlSyntaxError {
  line: number
  message: string
}

const unescape = (part: string): string => part.replace(/~1/g, '/').replace(/~0/g, '~')

/**
 * The one reader of the sandbox's YAML data files (scenarios, rate-limit tables, fixture cases, magic
 * identifiers, mapping files): parses YAML 1.2 text keeping positions, so that a syntax error or a
 * schema error found later names its line. Data files are small: the `yaml` package's position
 * tracking costs little. Contracts, large, are parsed apart (`contract/load-contract.ts`).
 */
export function parseYamlSource(text: string): YamlSource | YamlSyntaxError {
  const counter = new LineCounter()
  const doc = parseDocument(text, { lineCounter: counter })
  const first = doc.errors[0]
  if (first) return { line: first.linePos?.[0]?.line ?? 1, message: first.message.split('\n')[0]! }
  return {
    value: doc.toJS() as unknown,
    lineOf(pointer) {
      const path = pointer.split('/').slice(1).map(unescape)
      // A missing key has no node: walk up to the deepest parent that exists.
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true) as
          { range?: [number, number, number] } | undefined
        if (node?.range) return counter.linePos(node.range[0]).line
      }
      return 1
    },
  }
}

/** True when {@link parseYamlSource} failed. */
export const isYamlSyntaxError = (v: YamlSource | YamlSyntaxError): v is YamlSyntaxError =>
  'message' in v
