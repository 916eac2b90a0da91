/**
 * Magic identifiers: documented SIRENs and SIRETs that always trigger the same answer, like a
 * payment provider's test cards (`000000000` → 404...). The table is a data file checked at load.
 * A SIRET whose SIREN is magic triggers the SIREN's answer, unless the SIRET has its own entry.
 */
import { readFile } from 'node:fs/promises'
import { isValidSiren, isValidSiret } from './identifiers.js'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import {
  isYamlSyntaxError,
  parseYamlSource,
  readYamlSource,
  type YamlSource,
  type YamlSyntaxError,
} from '../yaml/yaml-source.js'

export interface MagicEntry {
  /** A SIREN (9 digits) or a SIRET (14 digits), valid, so that requests pass validation. */
  identifier: string
  /** HTTP status answered. */
  status: number
  /**
   * Production error code to answer with. Usually absent: the operation's own example for the
   * status then gives the code of its provider (`01003` for INSEE, `04003` for URSSAF...).
   */
  code?: string
  /** Scenario that plays the answer (for answers that are more than an error body). */
  scenario?: string
  /** Extra error metadata, e.g. `{ retry_in: 172800 }`. */
  meta?: Record<string, unknown>
  /** One line for the documentation. */
  description: string
}

export interface MagicTable {
  /** File the table was read from. */
  file: string
  entries: readonly MagicEntry[]
  byIdentifier: ReadonlyMap<string, MagicEntry>
}

const KEYS = new Set(['identifier', 'status', 'code', 'scenario', 'meta', 'description'])

/** A fault in the table: a start-up error (exit code 2) naming the file and the entry. */
const mappingError = (message: string, options?: { cause?: unknown }): SandboxConfigError =>
  new SandboxConfigError(SANDBOX_ERRORS.BAD_MAPPING, message, options)

/** Reads and checks a magic identifiers file; throws a SandboxConfigError naming the file and the entry at fault. */
export async function loadMagicIdentifiers(file: string): Promise<MagicTable> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (cause) {
    throw mappingError(`magic identifiers ${file}: cannot be read (${(cause as Error).message})`, {
      cause,
    })
  }
  return checkMagicIdentifiers(await readYamlSource(text), file)
}

/** Parses and checks the YAML text of a magic identifiers table (see {@link loadMagicIdentifiers}). */
export function parseMagicIdentifiers(text: string, file = '<inline>'): MagicTable {
  return checkMagicIdentifiers(parseYamlSource(text), file)
}

function checkMagicIdentifiers(source: YamlSource | YamlSyntaxError, file: string): MagicTable {
  if (isYamlSyntaxError(source)) {
    throw mappingError(
      `magic identifiers ${file}: line ${source.line}: not valid YAML (${source.message})`,
    )
  }
  const doc = source.value
  const list = (doc as { identifiers?: unknown } | null)?.identifiers
  if (!Array.isArray(list)) {
    throw mappingError(
      `magic identifiers ${file}: expected a top-level "identifiers:" list of entries`,
    )
  }
  const byIdentifier = new Map<string, MagicEntry>()
  const entries = list.map((raw, i) => {
    const entry = checkEntry(raw, (why) => {
      const id = (raw as { identifier?: unknown } | null)?.identifier
      return mappingError(
        `magic identifiers ${file}: entry ${i + 1}${id ? ` (${String(id)})` : ''}: ${why}`,
      )
    })
    if (byIdentifier.has(entry.identifier)) {
      throw mappingError(
        `magic identifiers ${file}: entry ${i + 1} (${entry.identifier}): identifier listed twice`,
      )
    }
    byIdentifier.set(entry.identifier, entry)
    return entry
  })
  return Object.freeze({ file, entries: Object.freeze(entries), byIdentifier })
}

function checkEntry(raw: unknown, fail: (why: string) => Error): MagicEntry {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw fail('an entry must be a mapping')
  const e = raw as Record<string, unknown>
  const unknown = Object.keys(e).filter((k) => !KEYS.has(k))
  if (unknown.length)
    throw fail(`unknown field(s) ${unknown.join(', ')}; allowed: ${[...KEYS].join(', ')}`)
  const id = e.identifier
  if (typeof id !== 'string' || !/^(\d{9}|\d{14})$/.test(id)) {
    throw fail('"identifier" must be a quoted string of 9 (SIREN) or 14 (SIRET) digits')
  }
  if (id.length === 9 ? !isValidSiren(id) : !isValidSiret(id)) {
    throw fail(
      '"identifier" fails its Luhn key: requests would be rejected with 422 before reaching it',
    )
  }
  if (
    typeof e.status !== 'number' ||
    !Number.isInteger(e.status) ||
    e.status < 200 ||
    e.status > 599
  ) {
    throw fail('"status" must be an HTTP status between 200 and 599')
  }
  if (e.code !== undefined && (typeof e.code !== 'string' || !/^\d{5}$/.test(e.code))) {
    throw fail('"code" must be a quoted 5-digit production error code, e.g. \'00015\'')
  }
  if (
    e.scenario !== undefined &&
    (typeof e.scenario !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(e.scenario))
  ) {
    throw fail('"scenario" must be a kebab-case scenario name')
  }
  if (e.meta !== undefined && (!e.meta || typeof e.meta !== 'object' || Array.isArray(e.meta))) {
    throw fail('"meta" must be a mapping')
  }
  if (typeof e.description !== 'string' || !e.description.trim() || e.description.includes('\n')) {
    throw fail('"description" must be one non-empty line')
  }
  return {
    identifier: id,
    status: e.status,
    ...(e.code !== undefined ? { code: e.code as string } : {}),
    ...(e.scenario !== undefined ? { scenario: e.scenario as string } : {}),
    ...(e.meta !== undefined ? { meta: e.meta as Record<string, unknown> } : {}),
    description: e.description.trim(),
  }
}

/**
 * The entry a request triggers: any parameter whose name contains `siren` or `siret` and whose
 * value is magic; a SIRET entry wins over the entry of its SIREN.
 */
export function findMagic(
  table: MagicTable,
  params: Readonly<Record<string, string>>,
): MagicEntry | undefined {
  if (table.byIdentifier.size === 0) return undefined
  // Twice over the names, without copying them: every request of an API with magic identifiers asks.
  for (const name in params) {
    const value = params[name]
    if (typeof value !== 'string' || !namesAnIdentifier(name)) continue
    const exact = table.byIdentifier.get(value.trim())
    if (exact) return exact
  }
  for (const name in params) {
    const value = params[name]
    if (typeof value !== 'string' || !namesAnIdentifier(name)) continue
    const id = value.trim()
    if (!/^\d{14}$/.test(id)) continue
    const entry = table.byIdentifier.get(id.slice(0, 9))
    if (entry) return entry
  }
  return undefined
}

/** Parameter names already judged (the contract's, mostly; a written body's too, so bounded). */
const judged = new Map<string, boolean>()
const MAX_JUDGED_NAMES = 1000

/** True for a parameter whose name contains `siren` or `siret`, whatever the case. */
function namesAnIdentifier(name: string): boolean {
  let yes = judged.get(name)
  if (yes === undefined) {
    yes = /siren|siret/i.test(name)
    if (judged.size >= MAX_JUDGED_NAMES) judged.clear()
    judged.set(name, yes)
  }
  return yes
}
