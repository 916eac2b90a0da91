import type { Contract, Operation } from '../contract/types.js'
import type { SandboxConfigError } from '../errors.js'
import { mappingFault, readMappingFile, type MappingFileKind } from '../yaml/mapping-file.js'

/** Privileges by operation id from the mapping file; `null`: any valid token is enough. */
export type PrivilegeMap = ReadonlyMap<string, readonly string[] | null>

const NAME = /^[A-Za-z0-9_.:-]{1,100}$/
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const KIND: MappingFileKind = {
  label: 'privileges',
  remedy: 'pass another --privileges',
  missing: "only the contract's own privileges are enforced.",
}
const bad = (file: string, message: string): SandboxConfigError => mappingFault(KIND, file, message)
const FIELD_SCOPES: MappingFileKind = { label: 'field scopes', remedy: 'fix it', missing: '' }

/**
 * Loads the privilege mapping file (`operations: { <operationId>: <privilege> | [<privilege>...] | null }`)
 * and checks every entry. A missing file is an empty map (the bundled contract carries its own
 * privileges); ids the loaded contract does not have are kept and ignored (the bundled file serves
 * the production contract).
 */
export async function loadPrivilegeMap(
  file: string,
  log: (line: string) => void,
): Promise<PrivilegeMap> {
  const doc = await readMappingFile(KIND, file, log)
  if (doc === undefined || doc === null) return new Map()
  if (!isObj(doc) || !isObj(doc.operations)) {
    throw bad(file, 'expected a top-level "operations" map of operationId -> privilege')
  }
  const map = new Map<string, readonly string[] | null>()
  for (const [id, value] of Object.entries(doc.operations)) {
    if (value === null) {
      map.set(id, null)
      continue
    }
    const list = typeof value === 'string' ? [value] : value
    if (
      !Array.isArray(list) ||
      list.length === 0 ||
      !list.every((p) => typeof p === 'string' && NAME.test(p))
    ) {
      throw bad(
        file,
        `entry "operations.${id}": expected a privilege name (letters, digits, _ . : -), a non-empty list of them, or null, got ${JSON.stringify(value)}`,
      )
    }
    map.set(id, [...new Set(list as string[])])
  }
  return map
}

/**
 * The privileges an operation needs, any one of them being enough: the contract's own (security
 * scopes or `x-sandbox-privilege`) else the mapping file's; `[]` when any valid token is enough.
 */
export function requiredPrivileges(op: Operation, map: PrivilegeMap): readonly string[] {
  if (op.privileges.length > 0) return op.privileges
  return map.get(op.id) ?? []
}

/**
 * Every privilege the loaded contract knows of: its operations' privileges, the `x-sandbox-scopes`
 * of its response fields, and the scopes the field-scope file gives its operations (read leniently:
 * its own loader checks it). The demo client gets all of them.
 */
export async function knownPrivileges(
  contract: Contract,
  map: PrivilegeMap,
  fieldScopesFile: string,
): Promise<string[]> {
  const set = new Set<string>()
  for (const op of contract.operations) for (const p of requiredPrivileges(op, map)) set.add(p)
  for (const s of contract.scopeMarks.names) if (NAME.test(s)) set.add(s)
  // A fault in that file is reported by the field-scope loader; here it only adds names.
  const fields = await readMappingFile(FIELD_SCOPES, fieldScopesFile, () => undefined).catch(
    () => undefined,
  )
  if (isObj(fields)) {
    // Only the entries of this contract's operations: the bundled file serves API Entreprise.
    const ids = new Set(contract.operations.map((op) => op.id))
    for (const [id, paths] of Object.entries(fields)) {
      if (!ids.has(id) || !isObj(paths)) continue
      for (const scopes of Object.values(paths)) {
        if (Array.isArray(scopes))
          for (const s of scopes) if (typeof s === 'string' && NAME.test(s)) set.add(s)
      }
    }
  }
  return [...set].sort()
}
