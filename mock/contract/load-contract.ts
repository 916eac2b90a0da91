import { readFile, stat } from 'node:fs/promises'
import { extname, resolve } from 'node:path'
import type { Schema, Type } from 'js-yaml'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import { BUILD_ID, loadedCache, parseCached } from './parse-cache.js'
import { DocumentRefused, RefError, resolveRefs } from './resolve-refs.js'
import { convertSwagger2 } from './swagger2.js'
import { readOperations } from './read-operations.js'
import { readScopeMarks } from './scope-marks.js'
import type { Contract } from './types.js'
import { DEFAULTS } from '../options.js'
import { jsYamlLib } from '../yaml/yaml-lib.js'

function bad(file: string, message: string, cause?: unknown): SandboxConfigError {
  return new SandboxConfigError(SANDBOX_ERRORS.BAD_CONTRACT, `contract ${file}: ${message}`, {
    file,
    cause,
  })
}

let contractSchema: Schema | undefined
/** js-yaml's core schema with merge keys (made when a contract is first parsed). */
function contractYamlSchema(): Schema {
  if (contractSchema) return contractSchema
  const yaml = jsYamlLib()
  // js-yaml exports its built-in types at run time; its type definitions do not declare them.
  const { merge } = (yaml as unknown as { types: { merge: Type } }).types
  return (contractSchema = yaml.CORE_SCHEMA.extend({ implicit: [merge] }))
}

/**
 * Parses YAML or JSON text, reporting the line and column of a syntax error. `part` says the text is
 * a document a contract points to (a schema file), not the contract itself.
 */
export function parseContractText(
  file: string,
  text: string,
  part = false,
): Record<string, unknown> {
  if (extname(file.replace(/[?#].*$/, '')).toLowerCase() === '.json') {
    try {
      return JSON.parse(text) as Record<string, unknown>
    } catch (cause) {
      const { place, reason } = jsonFault(text, (cause as Error).message)
      throw bad(
        file,
        `${place}: not valid JSON (${reason}). Fix the syntax or pass another --contract.`,
        cause,
      )
    }
  }
  let value: unknown
  try {
    // js-yaml: about 7x faster than `yaml` on a 2 MB contract, which keeps start-up under a second.
    // The core schema keeps dates as strings, as they would be in JSON; merge keys stay supported.
    value = jsYamlLib().load(text, { filename: file, schema: contractYamlSchema() })
  } catch (cause) {
    const mark = (cause as { mark?: { line: number; column: number } }).mark
    const reason = (cause as { reason?: string }).reason ?? (cause as Error).message
    const place = mark ? `line ${mark.line + 1}, column ${mark.column + 1}` : 'somewhere'
    throw bad(file, `${place}: ${reason}. Fix the YAML or pass another --contract.`, cause)
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw bad(
      file,
      part
        ? 'the document is not an object.'
        : 'the document is not an object. Expected an OpenAPI 3.0 or 3.1 (or Swagger 2.0) document.',
    )
  }
  return value as Record<string, unknown>
}

/** How a contract is loaded. */
export interface LoadContractOptions {
  /**
   * Download the documents that `$ref`s name by an http(s) URL. Default `false`: such a `$ref` stops
   * the load with a message saying how to allow it (a hosted sandbox fetches nothing on its own).
   */
  allowRemoteRefs?: boolean
  /**
   * Identifies the code loading the contract, for the cache of loaded contracts (`loadedCache`):
   * default the bundle's build id; undefined (from sources), nothing is kept.
   */
  codeId?: string
}

/**
 * Loads an OpenAPI 3.0 or 3.1 contract (YAML or JSON; Swagger 2.0 is converted to 3.0 first),
 * resolves its `$ref`s (local, other files, and URLs when allowed; recursive schemas become cycles of
 * objects), and lists its operations. Throws {@link SandboxConfigError} with the file and place of
 * any fault.
 */
export async function loadContract(
  file: string,
  { allowRemoteRefs = false, codeId = BUILD_ID }: LoadContractOptions = {},
): Promise<Contract> {
  const path = resolve(file)
  // The file's identity first, then its bytes, and only if the kept contract needs them.
  const stats = await stat(path, { bigint: true }).catch(() => undefined)
  let read: Buffer | undefined
  const readBytes = async (): Promise<Buffer> => {
    try {
      return (read ??= await readFile(path))
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code
      const why = code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(cause)})`
      throw bad(path, `${why}. Pass an existing OpenAPI file with --contract.`, cause)
    }
  }
  const kept = stats?.isFile() ? loadedCache<Contract>(path, Number(stats.size), codeId) : undefined
  const loaded = await kept?.read(stats!, readBytes)
  if (loaded) {
    // What V8's serialisation does not carry: the frozen lists of privileges.
    for (const op of loaded.operations) Object.freeze(op.privileges)
    return loaded
  }
  const bytes = await readBytes()
  // The text is decoded only when it is parsed or converted: a cached parse is found by the bytes.
  let text: string | undefined
  const textOf = (): string => (text ??= bytes.toString('utf8'))
  let raw = await parseCached(bytes, () => parseContractText(path, textOf()))
  if (raw.swagger !== undefined) {
    if (String(raw.swagger) !== '2.0')
      throw bad(path, `at /swagger: expected "2.0", found ${JSON.stringify(raw.swagger)}.`)
    raw = await convertSwagger2(path, raw, textOf())
  }
  const openapi = typeof raw.openapi === 'string' ? raw.openapi : undefined
  if (!openapi || !/^3\.[01]\.\d+/.test(openapi)) {
    throw bad(
      path,
      `at /openapi: expected an OpenAPI 3.0.x or 3.1.x (or Swagger 2.0) document, found openapi ${String(openapi ?? 'missing')}.`,
    )
  }
  // OpenAPI 3.1 lets a document declare webhooks or components only.
  if (raw.paths === undefined && openapi.startsWith('3.1')) raw.paths = {}
  if (!raw.paths || typeof raw.paths !== 'object' || Array.isArray(raw.paths)) {
    throw bad(path, 'at /paths: missing or not an object. A contract must declare its paths.')
  }
  let document: Record<string, unknown>
  // A contract whose `$ref`s name other documents is never kept whole (see `loadedCache`).
  let oneFile = true
  try {
    document = await resolveRefs(path, raw, (location) => {
      oneFile = false
      return readPart(location, allowRemoteRefs)
    })
  } catch (cause) {
    if (cause instanceof RefError) {
      throw bad(cause.file || path, `at ${cause.pointer || '/'}: ${cause.reason}.`, cause)
    }
    if (cause instanceof SandboxConfigError) throw cause
    throw bad(path, `a $ref cannot be resolved: ${(cause as Error).message}`, cause)
  }
  const info = (document.info ?? {}) as Record<string, unknown>
  const contract: Contract = {
    file: path,
    title: typeof info.title === 'string' ? info.title : 'API',
    version: typeof info.version === 'string' ? info.version : '0',
    openapi,
    operations: readOperations(path, document),
    document,
    scopeMarks: readScopeMarks(document),
  }
  if (oneFile) kept?.keep(contract, stats!, bytes)
  return contract
}

/** Reads a document the contract points to: a file, or an http(s) URL when `remote` allows it. */
async function readPart(location: string, remote: boolean): Promise<unknown> {
  if (/^https?:\/\//i.test(location)) {
    if (!remote)
      throw new DocumentRefused(
        `the document ${location} is remote, and the sandbox downloads nothing unless told to: save it beside the contract and point the $ref at the file, or start with --allow-remote-refs (option allowRemoteRefs: true)`,
      )
    let res: Response
    try {
      res = await fetch(location, {
        signal: AbortSignal.timeout(DEFAULTS.tuning.remoteContractTimeoutMs),
      })
    } catch (cause) {
      const inner = (cause as { cause?: { code?: string; errors?: { code?: string }[] } }).cause
      const code = inner?.code ?? inner?.errors?.[0]?.code ?? (cause as Error).message
      throw new Error(
        `the network request failed (${code}): save that document beside the contract and point the $ref at the file`,
      )
    }
    if (!res.ok)
      throw new Error(
        `HTTP ${res.status}: save that document beside the contract and point the $ref at the file`,
      )
    return parseContractText(location, await res.text(), true)
  }
  let text: string
  try {
    text = await readFile(location, 'utf8')
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    throw new Error(code === 'ENOENT' ? 'file not found' : (code ?? String(cause)))
  }
  return parseContractText(location, text, true)
}

/**
 * Where a JSON text stops being JSON, as a line and column: from the parser's offset when its
 * message gives one, the end of the text when it was cut short, else from the YAML parser (JSON is
 * YAML), which marks the place of the fault it finds.
 */
function jsonFault(text: string, message: string): { place: string; reason: string } {
  const reason = message
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/\s*\(line \d+ column \d+\)/, '')
  const at = /at position (\d+)/.exec(message)
  if (at) return { place: lineColumn(text, Number(at[1])), reason }
  if (/end of JSON input/i.test(message))
    return {
      place: lineColumn(text, text.length),
      reason: 'the text ends before the document does; is the file cut short?',
    }
  try {
    jsYamlLib().load(text, { schema: jsYamlLib().JSON_SCHEMA })
  } catch (cause) {
    const mark = (cause as { mark?: { line: number; column: number } }).mark
    if (mark) return { place: `line ${mark.line + 1}, column ${mark.column + 1}`, reason }
  }
  return { place: 'somewhere', reason }
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - (before.lastIndexOf('\n') + 1) + 1
  return `line ${line}, column ${column}`
}
