/**
 * The person a request asks about by civil status (API Particulier: family name, given names, birth
 * date, sex, place of birth) and the household around them: that person first among the adults, a
 * partner, children born after both parents. Drawn from the identity alone, so that every operation
 * asked about the same person answers with the same family.
 */
import type { FieldRequest, FieldResolver } from './generation-types.js'
import { drawLastName, stripAccents, type Person } from './person.js'
import { createSeededFaker, isoDay, referenceDate } from './seeded.js'
import { writeDate } from './values.js'

export interface Household {
  /** The person asked about first, then a partner, then another adult. */
  adults: Person[]
  /** Children, eldest first, each born at least 18 years after the younger parent. */
  children: Person[]
}

/** `nomNaissance`, `nom_naissance`, `anneeDateDeNaissance` → `nomnaissance`, `anneedatenaissance`. */
const norm = (key: string): string =>
  key
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .replace(/datede/, 'date')

const random = createSeededFaker('fr')
const pad = (n: number): string => String(n).padStart(2, '0')

/** The identity a request gives, read from its parameters, or `undefined` when it names nobody. */
function identityOf(params: Readonly<Record<string, string>>): Record<string, string> | undefined {
  const given: Record<string, string> = {}
  for (const [k, v] of Object.entries(params)) if (v.trim()) given[norm(k)] = v.trim()
  const nom = given.nomnaissance ?? given.nomusage ?? given.nom
  const prenoms = given.prenoms ?? given.prenom
  return nom && prenoms ? { ...given, nom, prenoms } : undefined
}

/** The household of the person the parameters name; `undefined` when they name nobody. */
export function householdFor(
  params: Readonly<Record<string, string>>,
  seed: number,
): Household | undefined {
  const id = identityOf(params)
  if (!id) return undefined
  const faker = random.forKey(seed, 'household', id.nom, id.prenoms, id.anneedatenaissance ?? '')
  const sexe: 'M' | 'F' = /^(f|2|feminin)/i.test(stripAccents(id.sexeetatcivil ?? id.sexe ?? ''))
    ? 'F'
    : /^(m|1|masculin)/i.test(id.sexeetatcivil ?? id.sexe ?? '')
      ? 'M'
      : faker.datatype.boolean()
        ? 'M'
        : 'F'
  const year = Number(id.anneedatenaissance) || 1960 + faker.number.int(40)
  const month = Number(id.moisdatenaissance) || faker.number.int({ min: 1, max: 12 })
  const day = Number(id.jourdatenaissance) || faker.number.int({ min: 1, max: 28 })
  const nom = stripAccents(id.nom).toUpperCase()
  const place = id.nomcommunenaissance ?? faker.location.city().toUpperCase()
  const person = (sex: 'M' | 'F', birth: Date, familyName: string, prenoms?: string[]): Person => ({
    nom: familyName,
    prenoms: prenoms ?? [
      stripAccents(faker.person.firstName(sex === 'M' ? 'male' : 'female')).toUpperCase(),
    ],
    sexe: sex,
    dateNaissance: isoDay(birth),
    lieuNaissance: place,
    nationalite: 'Française',
    fonction: null,
  })
  const subjectBirth = new Date(Date.UTC(year, Math.min(month, 12) - 1, Math.min(day, 31)))
  const subject = person(
    sexe,
    subjectBirth,
    nom,
    id.prenoms
      .split(/[,\s]+/)
      .filter(Boolean)
      .map((p) => stripAccents(p).toUpperCase()),
  )
  const yearMs = 365.25 * 24 * 3600 * 1000
  const partnerBirth = new Date(
    subjectBirth.getTime() + faker.number.int({ min: -6, max: 6 }) * yearMs,
  )
  const partner = person(sexe === 'M' ? 'F' : 'M', partnerBirth, nom)
  const other = person(
    faker.datatype.boolean() ? 'M' : 'F',
    new Date(subjectBirth.getTime() - faker.number.int({ min: 20, max: 30 }) * yearMs),
    stripAccents(drawLastName(faker)).toUpperCase(),
  )
  // Children: from 20 years after the younger parent, a few years apart, never after the reference date.
  const younger = Math.max(subjectBirth.getTime(), partnerBirth.getTime())
  const children: Person[] = []
  let next = younger + faker.number.int({ min: 20, max: 30 }) * yearMs
  for (let i = 0; i < 4; i++) {
    const birth = Math.min(next, referenceDate().getTime() - (4 - i) * 30 * 24 * 3600 * 1000)
    children.push(person(faker.datatype.boolean() ? 'M' : 'F', new Date(birth), nom))
    next += faker.number.int({ min: 1, max: 4 }) * yearMs
  }
  return { adults: [subject, partner, other], children }
}

const CHILDREN = /enfant|child|mineur/i
const ADULTS = /allocataire|parent|adulte|beneficiaire|demandeur|titulaire|conjoint|membre/i

/** The member of the household a field belongs to, from the arrays on its path. */
function memberOf(req: FieldRequest, h: Household): Person {
  const path = req.ctx.path
  for (let i = path.length - 1; i > 0; i--) {
    const index = path[i]
    const holder = path[i - 1]
    if (typeof index !== 'number' || typeof holder !== 'string') continue
    if (CHILDREN.test(holder)) return h.children[index % h.children.length]!
    if (ADULTS.test(holder)) return h.adults[Math.min(index, h.adults.length - 1)]!
  }
  return h.adults[0]!
}

const civility = (p: Person): string => (p.sexe === 'F' ? 'Madame' : 'Monsieur')

/** Fields about the household's members, answered from the household; other fields: `undefined`. */
export function householdResolver(
  h: Household,
  params: Readonly<Record<string, string>>,
): FieldResolver {
  const given: Record<string, string> = {}
  for (const [k, v] of Object.entries(params)) given[norm(k)] = v
  return (req) => {
    const k = norm(req.key)
    switch (k) {
      case 'destinataire':
      case 'identite': {
        if (!/adresse|address/i.test(req.parentKey)) return undefined
        const p = h.adults[0]!
        return [`${civility(p)} ${p.nom} ${p.prenoms.join(' ')}`]
      }
      case 'nom':
      case 'nomfamille':
        // `nom` alone may name a school or a body: a person's only beside given names.
        if (!req.siblings.some((s) => /^prenoms?$/i.test(s))) return undefined
        return [memberOf(req, h).nom]
      case 'nomnaissance':
      case 'nomusage':
      case 'nomusuel':
        return [memberOf(req, h).nom]
      case 'prenoms': {
        const p = memberOf(req, h)
        return req.index !== undefined
          ? [p.prenoms[req.index % p.prenoms.length]]
          : [p.prenoms.join(' ')]
      }
      case 'prenom':
      case 'prenomusuel':
        return [memberOf(req, h).prenoms[0]]
      case 'datenaissance':
        return [writeDate(memberOf(req, h).dateNaissance, req.node)]
      case 'anneedatenaissance':
      case 'anneenaissance': {
        const y = Number(memberOf(req, h).dateNaissance.slice(0, 4))
        return [String(y), y]
      }
      case 'moisdatenaissance':
      case 'moisnaissance': {
        const m = Number(memberOf(req, h).dateNaissance.slice(5, 7))
        return [pad(m), m]
      }
      case 'jourdatenaissance':
      case 'journaissance': {
        const d = Number(memberOf(req, h).dateNaissance.slice(8, 10))
        return [pad(d), d]
      }
      case 'sexe':
      case 'sexeetatcivil':
      case 'genre': {
        const s = memberOf(req, h).sexe
        return [s, s.toLowerCase(), s === 'F' ? 'Féminin' : 'Masculin']
      }
      case 'civilite': {
        const p = memberOf(req, h)
        return p.sexe === 'F' ? ['Madame', 'MME', 'Mme'] : ['Monsieur', 'M.', 'M']
      }
      case 'codecoginseecommunenaissance':
      case 'codeinseelieunaissance':
      case 'codeinseelieudenaissance':
        return memberOf(req, h) === h.adults[0] && given[k] ? [given[k]] : undefined
      case 'lieunaissance':
      case 'nomcommunenaissance':
        return [memberOf(req, h).lieuNaissance]
      default:
        return undefined
    }
  }
}
