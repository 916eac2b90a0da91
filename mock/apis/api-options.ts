import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import { DEFAULT_NO_FIXTURES, type ApiOptions, type ResolvedOptions } from '../options.js'
import { isYamlSyntaxError, parseYamlSource } from '../yaml/yaml-source.js'

export type { ApiOptions }
import { checkPrefix } from './mount.js'

/** One API of a sandbox, every file resolved. The main contract comes first. */
export interface ApiSpec {
  contract: string
  /** Given name, else found in the contract. */
  name?: string
  prefix: string
  /** Absent: no mapping file, the contract's own privileges only. */
  privileges?: string
  rateLimits: string
  fieldScopes?: string
  fixtures: string
}

const KEYS: Record<string, keyof ApiOptions> = {
  contract: 'contract',
  name: 'name',
  prefix: 'prefix',
  privileges: 'privileges',
  rate_limits: 'rateLimits',
  rateLimits: 'rateLimits',
  field_scopes: 'fieldScopes',
  fieldScopes: 'fieldScopes',
  fixtures: 'fixtures',
}
const NAME = /^[\w.-]{1,64}$/

const fault = (where: string, message: string): SandboxConfigError =>
  new SandboxConfigError(SANDBOX_ERRORS.BAD_OPTION, `${where}: ${message}`)

/**
 * The APIs a sandbox serves: the main contract (with the sandbox-wide files), then those of the
 * `apis` option: a list of files or {@link ApiOptions}, or the path of a YAML/JSON file listing them
 * (`apis: [{contract, name, prefix, privileges, rate_limits, field_scopes, fixtures}]`, paths relative
 * to that file). Every fault names the entry and what to do.
 */
export async function apiSpecs(opts: ResolvedOptions): Promise<ApiSpec[]> {
  const main: ApiSpec = {
    contract: opts.contract,
    prefix: checkPrefix(opts.prefix, 'option prefix'),
    privileges: opts.privileges,
    rateLimits: opts.rateLimits,
    fieldScopes: opts.fieldScopes,
    fixtures: opts.fixtures,
  }
  const { list, base, where } =
    typeof opts.apis === 'string'
      ? { ...(await readApisFile(opts.apis)), base: dirname(opts.apis), where: opts.apis }
      : { list: opts.apis, base: process.cwd(), where: 'option apis' }
  const path = (p: string): string => resolve(base, p)
  const specs = list.map((entry, i): ApiSpec => {
    const at = `${where}, entry ${i + 1}`
    const api = typeof entry === 'string' ? { contract: entry } : entry
    for (const [k, v] of Object.entries(api)) {
      if (v !== undefined && typeof v !== 'string')
        throw fault(at, `"${k}" must be a string, got ${JSON.stringify(v)}`)
    }
    if (!api.contract) throw fault(at, 'give "contract", the path of an OpenAPI contract file')
    if (api.name !== undefined && !NAME.test(api.name))
      throw fault(at, `name "${api.name}" must be 1 to 64 letters, digits, _ . -`)
    return {
      contract: path(api.contract),
      ...(api.name !== undefined ? { name: api.name } : {}),
      prefix: checkPrefix(api.prefix ?? '', at),
      ...(api.privileges ? { privileges: path(api.privileges) } : {}),
      rateLimits:
        api.rateLimits === undefined
          ? opts.rateLimits
          : api.rateLimits === 'off'
            ? 'off'
            : path(api.rateLimits),
      ...(api.fieldScopes ? { fieldScopes: path(api.fieldScopes) } : {}),
      fixtures: api.fixtures ? path(api.fixtures) : DEFAULT_NO_FIXTURES,
    }
  })
  return [main, ...specs]
}

/** Reads an `--apis` file: `apis:` then a list of entries, each a contract path or an object. */
async function readApisFile(file: string): Promise<{ list: Array<string | ApiOptions> }> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    throw fault(
      `APIs file ${file}`,
      code === 'ENOENT' ? 'file not found; check --apis.' : `cannot be read (${code ?? 'error'}).`,
    )
  }
  const source = parseYamlSource(text)
  if (isYamlSyntaxError(source))
    throw fault(`APIs file ${file}`, `line ${source.line}: ${source.message}. Fix the YAML.`)
  const doc = source.value as { apis?: unknown } | null
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.apis))
    throw fault(
      `APIs file ${file}`,
      'expected a top-level "apis" list, e.g. apis: [{ contract: douane.yaml, prefix: /douane }]',
    )
  const list = doc.apis.map((entry: unknown, i) => {
    const at = `APIs file ${file}, line ${source.lineOf(`/apis/${i}`)}`
    if (typeof entry === 'string') return entry
    if (!entry || typeof entry !== 'object' || Array.isArray(entry))
      throw fault(at, 'an entry is a contract path or an object with "contract"')
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
      const key = KEYS[k]
      if (!key)
        throw fault(
          at,
          `unknown key "${k}"; an entry has contract, name, prefix, privileges, rate_limits, field_scopes, fixtures`,
        )
      if (typeof v !== 'string' && !(key === 'prefix' && v === null))
        throw fault(at, `"${k}" must be a string, got ${JSON.stringify(v)}`)
      out[key] = v ?? ''
    }
    return out as unknown as ApiOptions
  })
  return { list }
}
