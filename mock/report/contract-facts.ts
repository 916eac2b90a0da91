import type { Contract, Operation } from '../contract/types.js'
import { TRACEABILITY_PARAMS } from '../contract/data-params.js'
import { declaredFields } from '../scope/schema-fields.js'
import type { ContractFacts } from './report-types.js'

/** Longest `object` accepted when the contract does not say (API Entreprise: under 50 characters). */
export const OBJECT_MAX_LENGTH = 50

/** Rate-limit groups of document endpoints in the bundled table. */
const DOCUMENT_GROUPS = new Set(['documents'])

/** The contract facts the checks use, computed once per operation. */
export function contractFacts(contract: Contract): ContractFacts {
  const ops = new Map(contract.operations.map((op) => [op.id, op]))
  const documents = new Map<string, boolean>()
  const isDocumentOp = (op: Operation): boolean => {
    let known = documents.get(op.id)
    if (known === undefined) {
      const types = Object.entries(op.responses)
        .filter(([status]) => status.startsWith('2'))
        .map(([, r]) => r.contentType ?? '')
      known =
        types.some((t) => /pdf|zip|octet-stream/i.test(t)) ||
        declaredFields(op).some((f) => /(^|\.)document_url$/.test(f))
      documents.set(op.id, known)
    }
    return known
  }
  const paths = (contract.document.paths ?? {}) as Record<string, Record<string, unknown>>
  const callsBack = contract.operations.some(
    (op) => !!(paths[op.path]?.[op.method] as { callbacks?: unknown } | undefined)?.callbacks,
  )
  return {
    callsBack,
    traceable: (id) =>
      ops.get(id)?.parameters.some((p) => p.in === 'query' && TRACEABILITY_PARAMS.has(p.name)) ??
      false,
    objectMaxLength: (id) => {
      const max = ops.get(id)?.parameters.find((p) => p.in === 'query' && p.name === 'object')
        ?.schema.maxLength
      return typeof max === 'number' ? max : OBJECT_MAX_LENGTH
    },
    isDocument: (id, group) => {
      if (group !== undefined && DOCUMENT_GROUPS.has(group)) return true
      const op = id === undefined ? undefined : ops.get(id)
      return op ? isDocumentOp(op) : false
    },
  }
}
