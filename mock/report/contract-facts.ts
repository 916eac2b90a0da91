import type { Contract, Operation } from '../contract/types.js'
import { TRACEABILITY_PARAMS } from '../contract/data-params.js'
import { declaredFields } from '../scope/schema-fields.js'
import type { ContractFacts } from './report-types.js'
import { contractPath } from '../apis/mount.js'

/** Longest `object` accepted when the contract does not say (API Entreprise: under 50 characters). */
export const OBJECT_MAX_LENGTH = 50

/** Rate-limit groups of document endpoints in the bundled table. */
const DOCUMENT_GROUPS = new Set(['documents'])

/** Key of an operation among several APIs' (ids are unique within one API). */
const keyOf = (id: string, api: string | undefined): string =>
  api === undefined ? id : `${api}/${id}`

/**
 * The contract facts the checks use, computed once per operation; with several APIs, over all of
 * them (an entry's operation is looked up in its own API).
 */
export function contractFacts(contract: Contract | readonly Contract[]): ContractFacts {
  const contracts: readonly Contract[] = Array.isArray(contract) ? contract : [contract as Contract]
  const all = contracts.flatMap((c) => c.operations)
  const ops = new Map(all.map((op) => [keyOf(op.id, op.api), op]))
  const find = (id: string, api: string | undefined): Operation | undefined =>
    ops.get(keyOf(id, api))
  const documents = new Map<Operation, boolean>()
  const isDocumentOp = (op: Operation): boolean => {
    let known = documents.get(op)
    if (known === undefined) {
      const types = Object.entries(op.responses)
        .filter(([status]) => status.startsWith('2'))
        .map(([, r]) => r.contentType ?? '')
      known =
        types.some((t) => /pdf|zip|octet-stream/i.test(t)) ||
        declaredFields(op).some((f) => /(^|\.)document_url$/.test(f))
      documents.set(op, known)
    }
    return known
  }
  const callsBack = contracts.some((c) => {
    const paths = (c.document.paths ?? {}) as Record<string, Record<string, unknown>>
    return c.operations.some(
      (op) =>
        !!(paths[contractPath(op)]?.[op.method] as { callbacks?: unknown } | undefined)?.callbacks,
    )
  })
  return {
    callsBack,
    traceable: (id, api) =>
      find(id, api)?.parameters.some((p) => p.in === 'query' && TRACEABILITY_PARAMS.has(p.name)) ??
      false,
    objectMaxLength: (id, api) => {
      const max = find(id, api)?.parameters.find((p) => p.in === 'query' && p.name === 'object')
        ?.schema.maxLength
      return typeof max === 'number' ? max : OBJECT_MAX_LENGTH
    },
    isDocument: (id, group, api) => {
      if (group !== undefined && DOCUMENT_GROUPS.has(group)) return true
      const op = id === undefined ? undefined : find(id, api)
      return op ? isDocumentOp(op) : false
    },
  }
}
