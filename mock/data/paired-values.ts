/**
 * Fields that must agree with a code already generated beside them: a label and a description come
 * from the code's own entry (the code table of a description, parallel enums, the contract's example
 * when it was written for that code), a reference starts with its code, and a text never says the
 * opposite of its status (an attestation "ok" is not described as refused).
 */
import { labelOf } from './described-values.js'
import type { FieldRequest } from './generation-types.js'
import { nodeOf, type SchemaNode } from './schema-node.js'

/** Keys that hold a code or a status. */
const CODE = /^(code|type|statut|status|etat|state|code_[a-z_]+|[a-z_]+_code)$/
/** Keys that hold the text of a code. */
const TEXT =
  /^(libelle|label|intitule|designation|description|detail|message|titre|title|libelle_[a-z_]+|[a-z_]+_libelle)$/
/** Texts and codes that mean a refusal, a fault, an end. */
const NEGATIVE =
  /refus|rejet|non[ _-]?(conforme|a[ _]jour|valide|delivr|regulier)|pas (à|a) jour|irr[ée]guli|invalide|^ko$|[ée]chec|suspendu|radi[ée]|annul|d[ée]faut|insuffisan|impay|fraud/i

/** Whether a value reads as negative (`refus_de_delivrance`, "n'est pas à jour"). */
export const negative = (value: unknown): boolean =>
  typeof value === 'string' && NEGATIVE.test(value)

interface Sibling {
  key: string
  value: unknown
  node: SchemaNode
}

/** The code generated before this field in the same object, with its schema. */
function codeBeside(req: FieldRequest): Sibling | undefined {
  if (req.index !== undefined) return undefined
  const object = req.ctx.objects[req.ctx.objects.length - 1]
  const owner = req.ctx.ancestors[req.ctx.ancestors.length - 1]
  if (!object || !owner) return undefined
  for (const [key, schema] of owner.properties) {
    if (key === req.key || !CODE.test(key.toLowerCase())) continue
    const value = object[key]
    if (typeof value === 'string' || typeof value === 'number')
      return { key, value, node: nodeOf(schema) }
  }
  return undefined
}

/**
 * Values for `req` that agree with the code beside it, best first; `undefined` when the field has
 * no code beside it or is neither its text nor a value built on it.
 */
export function pairedValues(req: FieldRequest): readonly unknown[] | undefined {
  const k = req.key.toLowerCase()
  const same = exampleEntityNumber(req, k)
  if (same !== undefined) return [same]
  const code = codeBeside(req)
  if (!code) return undefined
  const node = req.node
  if (node.enum && k !== code.key) {
    // A reference built on the code (`reference: BNC2` beside `code: BNC`).
    const stem = String(code.value).replace(/\s+/g, '')
    const built = node.enum.filter(
      (v) => typeof v === 'string' && v.startsWith(stem) && /^\d*$/.test(v.slice(stem.length)),
    )
    if (built.length && built.length < node.enum.length) return built
  }
  if (!TEXT.test(k)) return undefined
  const out: unknown[] = []
  const label = labelOf(code.node.schema, code.value) ?? labelOf(node.schema, code.value)
  if (label !== undefined) out.push(label)
  // Parallel enums: the code's position gives the label's.
  const at = code.node.enum?.indexOf(code.value) ?? -1
  if (at >= 0 && node.enum && node.enum.length === code.node.enum!.length) out.push(node.enum[at])
  const example = node.example
  const exampleFor = code.node.example === code.value
  const sameSide = negative(example) === negative(code.value)
  if (typeof example === 'string' && sameSide && (exampleFor || !code.node.example))
    out.push(example)
  if (out.length) return out
  if (typeof example === 'string' && sameSide && negative(code.value)) return [example]
  // Nothing written for this code: its text is the code itself, in words, or the positive text
  // already given beside it.
  if (negative(code.value) || !sameSide) {
    const object = req.ctx.objects[req.ctx.objects.length - 1]!
    const other = Object.entries(object).find(
      ([key, v]) => key !== code.key && TEXT.test(key) && typeof v === 'string' && !negative(v),
    )
    if (!negative(code.value) && other) return [other[1]]
    return [inWords(String(code.value))]
  }
  return undefined
}

/** Words of administrative codes, which codes write without their accents. */
const ACCENTED: Record<string, string> = {
  delivrance: 'délivrance',
  delivree: 'délivrée',
  cloture: 'clôture',
  cloturee: 'clôturée',
  echeance: 'échéance',
  regularite: 'régularité',
  irregularite: 'irrégularité',
  etat: 'état',
  resilie: 'résilié',
  radie: 'radié',
  rejete: 'rejeté',
  valide: 'validé',
  refuse: 'refusé',
  suspendu: 'suspendu',
  entite: 'entité',
  declaration: 'déclaration',
}

/** Names of the thing an object describes, long enough to identify it (a collective agreement's title). */
const NAME = /^(titre|titre_court|intitule|nom|denomination|raison_sociale)$/
/** Keys of the number or code that identifies it (`numero_idcc`, `code`, `id`). */
const NUMBER = /^(numero|num|code|id|identifiant)(_[a-z]+)?$|_(numero|code|id|idcc)$/

/**
 * The example of an identifying number when the object already took its name from the contract's
 * example: the title of collective agreement 1486 goes with number 1486, not with a random one.
 */
function exampleEntityNumber(req: FieldRequest, k: string): unknown {
  const example = req.node.example
  if (req.index !== undefined || example === undefined || !NUMBER.test(k)) return undefined
  const object = req.ctx.objects[req.ctx.objects.length - 1]
  const owner = req.ctx.ancestors[req.ctx.ancestors.length - 1]
  if (!object || !owner) return undefined
  for (const [key, schema] of owner.properties) {
    if (!NAME.test(key)) continue
    const own = nodeOf(schema).example
    if (typeof own === 'string' && own.length >= 15 && object[key] === own) return example
  }
  return undefined
}

/** `refus_de_delivrance` → "Refus de délivrance"; `ok` → "OK". */
function inWords(code: string): string {
  if (/^[a-z]{1,3}$/i.test(code)) return code.toUpperCase()
  const words = code
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase()
    .replace(/\b[a-z]+\b/g, (w) => ACCENTED[w] ?? w)
  return words[0]!.toUpperCase() + words.slice(1)
}
