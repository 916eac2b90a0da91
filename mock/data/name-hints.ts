/**
 * Generic heuristics from a property's name, for any contract: dates, years, amounts, counts,
 * contacts, identifiers, countries. Values come out as numbers and as strings when the schema may
 * want either; the generator keeps the first that fits.
 */
import type { FieldRequest } from './generation-types.js'
import { vatNumber } from './identifiers.js'
import { personEmail } from './person-fields.js'
import { drawLastName } from './person.js'
import { randomDigits } from './seeded.js'
import type { Subject } from './subject.js'
import { dateFor, timelineOf, yearOf } from './timeline.js'
import { writeDate } from './values.js'

const DATE =
  /^(date|dt|jour)(_|$)|_(date|le|at|on)$|^timestamp$|_timestamp$|mise_a_jour|^(updated|created|modified)/
const YEAR = /^(annee|year)(_|$)|_(annee|year)$/
// Whole words only (between underscores): `declaration` holds "ratio", `donnees` "don".
const AMOUNT =
  /(^|_)(montant|chiffre_affaires|ca|capital|total|resultat|charges|produits|dons|subventions?|cout|prix|price|amount|valeur|solde|dettes\d?|disponibilites|excedent|fonds|besoin|capacite)(_|$)/
const PERCENT = /(^|_)(pourcentage|percent|taux|ratio)(_|$)/
const COUNT = /^(nombre|nb|count|quantite|qty|total)(_|$)|_(count|nombre)$/
const SITE = /^(site_?web|site_internet|website|site)$/
const URL_KEY = /(^|_)(url|uri|href|lien|link)$/
const PHONE = /telephone|^tel$|phone|mobile|fax|portable/
const EMAIL = /^(e?mail|courriel|adresse_e?mail)$|_e?mail$|^email_/

/** Suggestions from the name alone, or `undefined`. */
export function nameHints(req: FieldRequest, s: Subject): readonly unknown[] | undefined {
  const k = req.key.toLowerCase()
  const { faker } = req.ctx
  const node = req.node
  if (/(^|_)expires_in$|^ttl$/.test(k)) return [positiveExample(req) ?? 86_400]
  if (DATE.test(k)) return [writeDate(dateFor(req.ctx, k), node)]
  if (YEAR.test(k)) {
    const year = yearOf(req.ctx)
    return [String(year), year]
  }
  if (k === 'millesime') {
    // The form's year and version (`202201`): the year of the period, never a later one.
    const year = yearOf(req.ctx)
    return [`${year}0${faker.number.int({ min: 1, max: 3 })}`, `${year}01`]
  }
  if (/^duree_exercice$|^(nombre_)?jours_exercice$/.test(k)) {
    const line = timelineOf(req.ctx)
    const days =
      Math.round((line.periodEnd.getTime() - line.periodStart.getTime()) / 86_400_000) + 1
    return [days]
  }
  if (/^(mois|month)$/.test(k)) {
    const month = req.ctx.period?.month ?? timelineOf(req.ctx).periodEnd.getUTCMonth() + 1
    return [String(month).padStart(2, '0'), month]
  }
  if (/^(rang|rank|position|ordre)$/.test(k)) return [rankOf(req)]
  const counted = countOf(req, k)
  if (counted !== undefined) return [counted]
  if (/^(valeur|value)$/.test(k) && PERCENT.test(req.parentKey.toLowerCase())) {
    return numeric(req, faker.number.float({ min: 0.2, max: 5, fractionDigits: 2 }))
  }
  if (PERCENT.test(k))
    return numeric(req, faker.number.float({ min: 0, max: 100, fractionDigits: 2 }))
  if (COUNT.test(k)) return [faker.number.int({ min: 0, max: 20 })]
  if (AMOUNT.test(k)) {
    const scale = s.entity ? Math.max(s.company.chiffreAffaires / 10, 1000) : 100_000
    return numeric(
      req,
      faker.number.int({ min: Math.round(scale * 0.05), max: Math.round(scale * 1.5) }),
    )
  }
  if (EMAIL.test(k)) return [s.person && s.personContext ? personEmail(s.person) : s.company.email]
  if (PHONE.test(k)) return [phone(req)]
  if (SITE.test(k)) return [webAddress(req, s)]
  // Other URLs (documents, links) are better told by the schema's example, when it has one.
  if (URL_KEY.test(k) && typeof node.example !== 'string') {
    return [`${webAddress(req, s)}/${faker.string.alphanumeric({ length: 10, casing: 'lower' })}`]
  }
  if (/siren/.test(k)) return [s.company.siren]
  if (/siret/.test(k)) return [s.establishment.siret]
  if (/(^|_)rna($|_)/.test(k)) return [`W${randomDigits(faker, 9)}`]
  if (/eori/.test(k)) return [`FR${s.establishment.siret}`]
  if (/tva|vat/.test(k)) return [vatNumber(s.company.siren)]
  if (/uuid|guid/.test(k)) return [faker.string.uuid()]
  if (/^(pays|country)$/.test(k)) return ['FRANCE']
  if (/^(code_pays|country_code)$/.test(k)) return ['FR']
  if (/^(devise|currency|code_devise)$/.test(k)) return ['EUR']
  if (/^(langue|lang|language|locale)$/.test(k)) return ['fr', 'fr-FR']
  if (typeof node.example !== 'string' && node.types[0] === 'string') {
    // Identifiers without an example: a code of their kind rather than words.
    if (/(^|_)(uuid|guid)$|^id$/.test(k)) return [faker.string.uuid()]
    if (/(^|_)(numero|num|no|reference|ref|identifiant|id)(_|$)/.test(k))
      return [randomDigits(faker, 10)]
    if (/(^|_)code(_|$)/.test(k)) return [faker.string.alphanumeric({ length: 5, casing: 'upper' })]
  }
  if (/^(prenoms?|first_?name|given_name)$/.test(k)) return [faker.person.firstName()]
  if (/^(nom|last_?name|family_name|surname)$/.test(k) && s.personContext)
    return [s.person?.nom ?? drawLastName(faker).toUpperCase()]
  return undefined
}

/**
 * Counts that must agree with what is generated around them: `nombre_filiales` is the length of
 * the sibling `filiales`, `meta.count` the length of the body's `data`, `total` the sum of the
 * numbers beside it (`hommes` + `femmes`).
 */
function countOf(req: FieldRequest, k: string): number | undefined {
  const objects = req.ctx.objects
  const around = [objects[objects.length - 1], objects[objects.length - 2]]
  const named = /^(?:nombre|nb)_(.+)$|^(.+)_count$/.exec(k)
  const target = named?.[1] ?? named?.[2]
  for (const o of around) {
    const list = target ? o?.[target] : undefined
    if (Array.isArray(list)) return list.length
  }
  if (req.parentKey === 'meta' && (COUNT.test(k) || named)) {
    const data = around[1]?.data
    if (Array.isArray(data)) return target ? countOfType(data, target) : data.length
  }
  if (k === 'total' && around[0]) {
    const numbers = Object.values(around[0]).filter((v): v is number => typeof v === 'number')
    if (numbers.length >= 2) return numbers.reduce((a, b) => a + b, 0)
  }
  return undefined
}

/** 1 + the index of the nearest array item around the field: the item's rank in its list. */
function rankOf(req: FieldRequest): number {
  const path = req.ctx.path
  for (let i = path.length - 1; i >= 0; i--)
    if (typeof path[i] === 'number') return (path[i] as number) + 1
  return 1
}

/**
 * `personnes_morales_count` counts the items whose `type` is `personne_morale`; a name that is no
 * item type (`nombre_documents`) counts them all.
 */
function countOfType(items: unknown[], target: string): number {
  const singular = target.replace(/s(?=_|$)/g, '')
  const typeOf = (item: unknown): unknown => {
    const o = item as { type?: unknown; data?: { type?: unknown } } | null
    return o?.data?.type ?? o?.type
  }
  const types = items.map(typeOf)
  return types.includes(singular) || /^personne_(morale|physique)$/.test(singular)
    ? types.filter((t) => t === singular).length
    : items.length
}

/** A number, and the same number as a string when the schema's example is a numeric string. */
function numeric(req: FieldRequest, value: number): readonly unknown[] {
  const ex = req.node.example
  const asString = ex === undefined || (typeof ex === 'string' && /^-?\d+([.,]\d+)?$/.test(ex))
  return asString ? [value, String(value)] : [value]
}

function positiveExample(req: FieldRequest): number | undefined {
  const ex = req.node.example
  return typeof ex === 'number' && Number.isInteger(ex) && ex > 0 ? ex : undefined
}

/** A French phone number shaped like the example: `0123456789`, `01 23 45 67 89` or `+33 1...`. */
function phone(req: FieldRequest): string {
  const { faker } = req.ctx
  const digits = `${faker.helpers.arrayElement(['1', '2', '3', '4', '5', '6', '7', '9'])}${randomDigits(faker, 8)}`
  const ex = typeof req.node.example === 'string' ? req.node.example : ''
  if (ex.startsWith('+33'))
    return ex.includes(' ')
      ? `+33 ${digits.replace(/(\d)(\d{2})(\d{2})(\d{2})(\d{2})/, '$1 $2 $3 $4 $5')}`
      : `+33${digits}`
  const national = `0${digits}`
  return ex.includes(' ') ? national.replace(/(\d{2})(?=\d)/g, '$1 ') : national
}

/** The company's web site (or a made-up one), without scheme when the example has none. */
function webAddress(req: FieldRequest, s: Subject): string {
  const site = s.company.siteWeb ?? `https://www.${s.company.email.split('@')[1] ?? 'example.fr'}`
  const ex = req.node.example
  return typeof ex === 'string' && ex && !ex.includes('://')
    ? site.replace(/^https?:\/\//, '')
    : site
}
