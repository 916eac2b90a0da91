import { readFile } from 'node:fs/promises'
import { preparedKey, readPrepared, writePrepared } from '../prepared-cache.js'
import type { Contract } from '../contract/types.js'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import { isYamlSyntaxError, parseYamlSource } from '../yaml/yaml-source.js'
import { compileRateTable, isRateTableFault, rateExtension, type RateTable } from './rate-table.js'

/** Bump when what a checked table is kept as changes. */
const RATE_TABLE_CACHE_VERSION = '1'

const where = (pointer: string): string => pointer.split('/').slice(1).join('.') || 'the top level'

/**
 * Loads the rate-limit table named by the `rateLimits` option (`'off'`: no table, no limit). A table
 * that does not match its schema, or names a group it does not define, stops start-up with the file,
 * line and entry at fault. An operation whose `x-sandbox-rate-limit` names a group the table lacks
 * falls back to the table's mapping, with a warning.
 */
export async function loadRateTable(
  file: string,
  contract: Contract,
  warn: (line: string) => void,
): Promise<RateTable | undefined> {
  if (file === 'off') return undefined
  const fail = (message: string): never => {
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_MAPPING,
      `rate-limit table ${file}: ${message}. Fix the file, or pass --rate-limits off.`,
      { file },
    )
  }
  let text = ''
  try {
    text = await readFile(file, 'utf8')
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    fail(code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(cause)})`)
  }
  // A table that compiled before is kept parsed under a hash of its text: no YAML, no schema check.
  const key = preparedKey('rate-table', RATE_TABLE_CACHE_VERSION, text)
  const cached = await readPrepared<unknown>(key)
  let table = cached === undefined ? undefined : compileRateTable(cached, file, undefined, true)
  if (table === undefined || isRateTableFault(table)) {
    const source = parseYamlSource(text)
    if (isYamlSyntaxError(source)) return fail(`line ${source.line}: ${source.message}`)
    table = compileRateTable(source.value, file)
    if (isRateTableFault(table))
      return fail(
        `line ${source.lineOf(table.pointer)}, at ${where(table.pointer)}: ${table.message}`,
      )
    void writePrepared(key, source.value)
  }
  for (const op of contract.operations) {
    const ext = rateExtension(op)
    if (ext !== undefined && !table.groups.has(ext)) {
      warn(
        `warning: operation ${op.id} declares x-sandbox-rate-limit "${ext}", which ${file} does not define; it uses the table's own mapping.`,
      )
    }
  }
  return table
}
