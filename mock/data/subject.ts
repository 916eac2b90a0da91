/**
 * Who a field talks about. Inside an API Entreprise body, `data.siret` is the establishment asked
 * for, `data.unite_legale.*` its legal unit, `data.etablissements[2]` another establishment of the
 * same unit, `data.dirigeants[0]` an officer and `data.filiales[1]` some other company. The subject
 * of a field is read from its JSON path; other companies and persons are drawn once per array item,
 * so that the fields of one object agree with each other (name, SIREN, address).
 */
import type { Address } from './address.js'
import { companyFor, establishmentFor, type Company, type Establishment } from './company.js'
import type { FieldRequest, GenerationContext } from './generation-types.js'
import { luhnComplete, siretFrom } from './identifiers.js'
import { createPerson, type Person } from './person.js'
import { deriveSeed } from './seeded.js'
import { hasSibling } from './sibling-names.js'
import { lazyLru } from '../lazy-cache.js'

export interface Subject {
  /** True when the fields describe the company the request names. */
  entity: boolean
  /** Whether the fields describe the legal unit or one of its establishments. */
  level: 'unit' | 'establishment'
  company: Company
  /** The establishment in scope; for a legal unit, its head office. */
  establishment: Establishment
  /** The natural person in scope: an officer, the owner of a sole proprietorship, a contact. */
  person: Person | null
  /** True when the enclosing object describes a person (an officer, `nom` beside `prenom`...). */
  personContext: boolean
  address: Address
}

const UNIT_KEYS =
  /^(unite_legale|identite_entreprise|entreprise|personne_(morale|physique)(_attributs)?)$/
const ESTABLISHMENT_KEYS =
  /^(etablissement|etablissement_siege|siege_social|siege|etablissement_principal)$/
const IDENTITY =
  /^(siren|siret|denomination|raison_sociale|rna|numero_tva|tva_number|personne_(morale|physique)_attributes?)$/
const PEOPLE_ARRAYS = /dirigeant|mandataire|representant|beneficiaire|associe|gerant|administrateur/
const PERSON_FIELDS =
  /^(prenoms?|prenom_usuel|prenom_\d|nom_usage|nom_naissance|date_naissance|sexe|civilite)$/
const PERSON_PARENTS =
  /personne_physique|dirigeant|representant|mandataire|beneficiaire|contact|^personne$|^naissance$|^date_naissance$/

/** The subject of the field `req` describes. */
export function subjectOf(req: FieldRequest): Subject {
  // Every field of one object has the same subject: read it once per object being built.
  const parent = req.index === undefined ? req.ctx.objects[req.ctx.objects.length - 1] : undefined
  if (!parent) return readSubject(req)
  let subject = req.ctx.locals.get(parent) as Subject | undefined
  if (!subject) {
    subject = readSubject(req)
    req.ctx.locals.set(parent, subject)
  }
  return subject
}

function readSubject(req: FieldRequest): Subject {
  const { ctx } = req
  const end = ctx.path.length - (req.index !== undefined ? 2 : 1)
  const entity = ctx.entity
  if (!entity) return other(ctx, req, end)
  // A list of SIRENs or SIRETs names other companies, one per item.
  if (req.index !== undefined && /sire[nt]/i.test(req.key)) return other(ctx, req, end)
  let establishment = entity.establishment
  let level: Subject['level'] = entity.kind === 'siret' ? 'establishment' : 'unit'
  let person: Person | null | undefined
  let listIndex: number | undefined
  for (let i = 0; i < end; i++) {
    const seg = ctx.path[i]!
    if (typeof seg === 'number') {
      const arrayKey = ctx.path[i - 1]
      if (arrayKey === 'data' && i === 1) listIndex = seg
      else if (typeof arrayKey === 'string' && /etablissements$/.test(arrayKey)) {
        establishment = establishmentOf(nthSiret(entity.company, seg), ctx)
        level = 'establishment'
      } else if (typeof arrayKey === 'string' && PEOPLE_ARRAYS.test(arrayKey)) {
        person = entity.company.dirigeants[seg] ?? otherPerson(ctx, i + 1)
      } else if (ctx.items.get(i)?.some((name) => IDENTITY.test(name))) {
        // Items that carry their own SIREN, SIRET or name are other companies (subsidiaries...);
        // items without are facts about the entity (headcounts, certificates...).
        return other(ctx, req, end)
      }
    } else if (UNIT_KEYS.test(seg)) {
      level = 'unit'
      establishment = siegeOf(entity.company, ctx)
    } else if (ESTABLISHMENT_KEYS.test(seg)) {
      level = 'establishment'
      if (seg !== 'etablissement' || entity.kind === 'siren')
        establishment = siegeOf(entity.company, ctx)
    }
  }
  const company = entity.company
  const personal = hasSibling(req.siblings, PERSON_FIELDS) || PERSON_PARENTS.test(req.parentKey)
  const officer = person !== undefined
  if (person === undefined) {
    if (personal && listIndex !== undefined)
      person = company.dirigeants[listIndex] ?? otherPerson(ctx, 2)
    else person = company.personnePhysique
  }
  const personContext = officer || personal
  return {
    entity: true,
    level,
    company,
    establishment,
    person,
    personContext,
    address: establishment.address,
  }
}

function siegeOf(company: Company, ctx: GenerationContext): Establishment {
  return establishmentOf(company.siretSiege, ctx)
}

/** An establishment of the generation's world (fixture facts included). */
function establishmentOf(siret: string, ctx: GenerationContext): Establishment {
  return ctx.world ? ctx.world.establishment(siret) : establishmentFor(siret, ctx.seed)
}

/** The SIRET of the n-th establishment of a company (head office first), inventing more as needed. */
export function nthSiret(company: Company, n: number): string {
  return company.etablissements[n] ?? siretFrom(company.siren, String(100 + n * 7).padStart(4, '0'))
}

/**
 * Other companies (subsidiaries, shareholders, network members) come from a pool of this many
 * SIRENs per seed: bodies stay fast (the pool's companies are cached) and the same companies turn
 * up across operations, as in a real register.
 */
const OTHER_COMPANIES = 500
const pool = lazyLru<string, string>({ max: 20_000 })

/** The n-th SIREN of a seed's pool of other companies. */
export function otherSiren(seed: number, n: number): string {
  const key = `${seed}:${n}`
  let siren = pool().get(key)
  if (!siren) {
    siren = luhnComplete(
      String(10_000_000 + (deriveSeed(seed, 'other-company', String(n)) % 89_999_999)),
    )
    pool().set(key, siren)
  }
  return siren
}

/** Path of the nearest enclosing array item, where an "other" subject is anchored. */
function anchorOf(ctx: GenerationContext, end: number): string {
  let last = 0
  for (let i = 0; i < end; i++) if (typeof ctx.path[i] === 'number') last = i + 1
  return ctx.path.slice(0, last).join('/')
}

function other(ctx: GenerationContext, req: FieldRequest, end: number): Subject {
  // Items of an array of strings each get their own subject (a list of SIRETs names several companies).
  const key = `other:${anchorOf(ctx, req.index !== undefined ? ctx.path.length : end)}`
  let subject = ctx.locals.get(key) as Subject | undefined
  if (!subject) {
    const siren = otherSiren(ctx.seed, ctx.faker.number.int(OTHER_COMPANIES - 1))
    const company = ctx.world ? ctx.world.company(siren) : companyFor(siren, ctx.seed)
    const establishment = siegeOf(company, ctx)
    const person = company.personnePhysique ?? createPerson(ctx.faker)
    subject = {
      entity: false,
      level: 'unit',
      company,
      establishment,
      person,
      personContext: false,
      address: company.address,
    }
    ctx.locals.set(key, subject)
  }
  const personContext =
    hasSibling(req.siblings, PERSON_FIELDS) || PERSON_PARENTS.test(req.parentKey)
  return personContext ? { ...subject, personContext } : subject
}

function otherPerson(ctx: GenerationContext, end: number): Person {
  const key = `person:${ctx.path.slice(0, end).join('/')}`
  let person = ctx.locals.get(key) as Person | undefined
  if (!person) {
    person = createPerson(ctx.faker)
    ctx.locals.set(key, person)
  }
  return person
}
