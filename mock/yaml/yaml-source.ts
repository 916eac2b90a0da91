import { isPlainJson, preparedKey, readPrepared, writePrepared } from '../prepared-cache.js'
import { yamlLib } from './yaml-lib.js'

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
  const { LineCounter, parseDocument } = yamlLib()
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

/** Bump when the parser or its settings change, so that no stale value is reused. */
const YAML_CACHE_VERSION = 'yaml2-1'

/**
 * {@link parseYamlSource} for a file read at start-up: a text parsed before is read back from the
 * start-up cache (keyed by a hash of the text), and parsed again, for its positions, only when a
 * message needs a line. A value JSON cannot carry unchanged, and a syntax error, are never kept.
 */
export async function readYamlSource(text: string): Promise<YamlSource | YamlSyntaxError> {
  const key = preparedKey('yaml', YAML_CACHE_VERSION, text)
  const cached = await readPrepared<{ value: unknown }>(key)
  if (cached) {
    let full: YamlSource | undefined
    return {
      value: cached.value,
      lineOf: (pointer) => (full ??= parseYamlSource(text) as YamlSource).lineOf(pointer),
    }
  }
  const source = parseYamlSource(text)
  if (!isYamlSyntaxError(source) && isPlainJson(source.value))
    void writePrepared(key, { value: source.value })
  return source
}
