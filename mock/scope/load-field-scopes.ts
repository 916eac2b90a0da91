import { SCOPES_KEY } from '../contract/scope-marks.js'
import type { Contract } from '../contract/types.js'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import { mappingFault, readMappingFile, type MappingFileKind } from '../yaml/mapping-file.js'
import { ITEM, walkSchemaFields, successSchemas } from './schema-fields.js'
import {
  addScopedField,
  ANY,
  emptyNode,
  isFieldPath,
  splitPath,
  type FieldScopeTable,
  type ScopeNode,
} from './scope-tree.js'

const SCOPE = /^[A-Za-z0-9_.:-]{1,100}$/
const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const KIND: MappingFileKind = {
  label: 'field scopes',
  remedy: 'pass another fieldScopes file',
  missing: "only the contract's x-sandbox-scopes filter fields.",
}
const bad = (file: string, message: string): SandboxConfigError => mappingFault(KIND, file, message)

/**
 * Builds the table of scoped fields: every response property of the contract marked
 * `x-sandbox-scopes`, plus every entry of the mapping file (`<operationId>: { <dotted path>: [scope] }`),
 * scopes of one field adding up. The file is checked at load: a fault names the file and the entry.
 * A missing file adds nothing; ids the contract lacks are ignored (one file serves several contracts).
 */
export async function loadFieldScopes(
  file: string,
  contract: Contract,
  log: (line: string) => void,
): Promise<FieldScopeTable> {
  const table = new Map<string, ScopeNode>()
  const rootOf = (id: string): ScopeNode => {
    let root = table.get(id)
    if (!root) table.set(id, (root = emptyNode()))
    return root
  }
  // Most contracts mark no field (the load read it, `scopeMarks`): no walk by paths then.
  for (const op of contract.scopeMarks.present ? contract.operations : []) {
    for (const schema of successSchemas(op)) {
      walkSchemaFields(schema, (segments, s) => {
        const scopes = s[SCOPES_KEY]
        if (!Array.isArray(scopes) || scopes.length === 0) return
        if (!scopes.every((x) => typeof x === 'string' && SCOPE.test(x))) {
          throw new SandboxConfigError(
            SANDBOX_ERRORS.BAD_CONTRACT,
            `contract ${contract.file}: ${SCOPES_KEY} of ${op.id} ${segments.join('.')} must be a list of scope names, got ${JSON.stringify(scopes)}`,
            { file: contract.file },
          )
        }
        addScopedField(
          rootOf(op.id),
          segments.map((x) => (x === ITEM ? ANY : x)),
          scopes as string[],
        )
      })
    }
  }
  const known = new Set(contract.operations.map((op) => op.id))
  for (const [id, fields] of Object.entries(await readMapping(file, log))) {
    if (!known.has(id)) continue
    for (const [path, scopes] of Object.entries(fields))
      addScopedField(rootOf(id), splitPath(path), scopes)
  }
  return table
}

/** Reads and checks the mapping file: `{ operationId: { path: [scope, ...] } }`. */
async function readMapping(
  file: string,
  log: (line: string) => void,
): Promise<Record<string, Record<string, string[]>>> {
  const doc = await readMappingFile(KIND, file, log)
  if (doc === undefined || doc === null) return {}
  if (!isMap(doc)) throw bad(file, 'expected a map of operationId -> { dotted path: [scope, ...] }')
  for (const [id, fields] of Object.entries(doc)) {
    if (!isMap(fields))
      throw bad(
        file,
        `entry "${id}": expected a map of dotted path -> [scope, ...], got ${JSON.stringify(fields)}`,
      )
    for (const [path, scopes] of Object.entries(fields)) {
      if (!isFieldPath(path)) {
        throw bad(
          file,
          `entry "${id}" path "${path}": expected dotted field names, "*" for every item (data.*.nom)`,
        )
      }
      if (
        !Array.isArray(scopes) ||
        scopes.length === 0 ||
        !scopes.every((s) => typeof s === 'string' && SCOPE.test(s))
      ) {
        throw bad(
          file,
          `entry "${id}" path "${path}": expected a non-empty list of scope names (letters, digits, _ . : -), got ${JSON.stringify(scopes)}`,
        )
      }
    }
  }
  return doc as Record<string, Record<string, string[]>>
}
