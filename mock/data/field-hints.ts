/**
 * The order in which a field's value is looked for, before any type-based fallback: the caller's
 * resolver, then the code beside the field (its label, its reference), then the person, company and
 * address the field talks about, then generic name
 * heuristics. Also tells how long an array of establishments, officers or given names should be.
 */
import { addressFields } from './address-fields.js'
import { englishHints } from './english-hints.js'
import { companyFields } from './company-fields.js'
import type { FieldRequest } from './generation-types.js'
import { nameHints } from './name-hints.js'
import { pairedValues } from './paired-values.js'
import { PERSON_KEYS, personFields } from './person-fields.js'
import { nodeOf } from './schema-node.js'
import { subjectOf } from './subject.js'

/** Marks "no suggestion fits". */
export const NONE: unique symbol = Symbol('none')

/**
 * The first suggestion for `req` that `accept` keeps (it may adapt it, e.g. letter case),
 * or {@link NONE}.
 */
export function suggest(req: FieldRequest, accept: (value: unknown) => unknown): unknown {
  const own = req.ctx.resolve?.(req)
  if (own) {
    for (const value of own) {
      const kept = accept(value)
      if (kept !== NONE) return kept
    }
  }
  const paired = pairedValues(req)
  if (paired) {
    for (const value of paired) {
      const kept = accept(value)
      if (kept !== NONE) return kept
    }
  }
  if (req.ctx.locale === 'en') {
    for (const value of englishHints(req) ?? []) {
      const kept = accept(value)
      if (kept !== NONE) return kept
    }
    return NONE
  }
  const s = subjectOf(req)
  const personal = s.personContext || PERSON_KEYS.test(req.key.toLowerCase())
  const sources = [
    personal ? personFields(req, s.person) : undefined,
    // Fields of other companies (a subsidiary, a network member) come from their own coherent record.
    companyFields(req, s),
    addressFields(req, s),
  ]
  for (const values of sources) {
    if (!values) continue
    for (const value of values) {
      const kept = accept(value)
      if (kept !== NONE) return kept
    }
  }
  const generic = nameHints(req, s)
  if (generic) {
    for (const value of generic) {
      const kept = accept(value)
      if (kept !== NONE) return kept
    }
  }
  return NONE
}

/**
 * The natural length of an array named `req.key` for its subject; `null` when the subject has no
 * such list at all (the given names of a company), `undefined` when nothing is known.
 */
export function suggestLength(req: FieldRequest): number | null | undefined {
  const k = req.key.toLowerCase()
  if (k === 'prenoms') {
    const s = subjectOf(req)
    return s.personContext ? (s.person?.prenoms.length ?? null) : undefined
  }
  const entity = req.ctx.entity
  // A body that is a list of officers (`data: [{ data: { fonction, nom, prenom } }]`): one per
  // officer of the legal unit; an individual entrepreneur's only officer is the person.
  if (entity && k === 'data' && req.ctx.path.length === 1 && listsOfficers(req)) {
    return entity.company.dirigeants.length
  }
  if (
    !entity ||
    req.ctx.path.some((seg, i) => typeof seg === 'number' && req.ctx.path[i - 1] !== 'data')
  ) {
    return undefined
  }
  if (k === 'etablissements') return entity.company.etablissements.length
  if (/dirigeant|mandataire|representant/.test(k)) return entity.company.dirigeants.length
  return undefined
}

/** Whether the items of the array being asked about describe officers (a `fonction` beside names). */
function listsOfficers(req: FieldRequest): boolean {
  const items = req.node.items
  if (!items) return false
  const item = nodeOf(items)
  const inner = item.properties.find(([name]) => name === 'data')
  const names = inner ? nodeOf(inner[1]).names : item.names
  return names.includes('fonction') && names.some((n) => /^(nom|prenoms?)$/.test(n))
}
