/**
 * The coherent entity model: a legal unit (unité légale) per SIREN and an establishment
 * (établissement) per SIRET, each drawn once from `(seed, identifier)` and memoised. Every operation
 * that shows a company reads it from here, so its name, address and legal form never disagree.
 */
import type { Faker } from '@faker-js/faker'
import { LRUCache } from 'lru-cache'
import { createAddress, type Address } from './address.js'
import { siretFrom, vatNumber } from './identifiers.js'
import {
  ACTIVITIES,
  HEADCOUNT_BANDS,
  LEGAL_FORMS,
  ROLES,
  bandFor,
  type Activity,
  type LegalForm,
} from './nomenclatures.js'
import { createPerson, stripAccents, type Person } from './person.js'
import { REFERENCE_DATE, createSeededFaker, isoDay, pastDate } from './seeded.js'

export type { Address } from './address.js'
export type { Person } from './person.js'

/** A headcount band as a company reports it. */
export interface Headcount {
  code: string
  intitule: string
  /** Year of the headcount, `'2024'`. */
  annee: string
  de: number
  a: number
}

/** A legal unit (unité légale). Objects are frozen: share them, never change them. */
export interface Company {
  siren: string
  type: 'personne_morale' | 'personne_physique'
  /** Raison sociale; for a sole proprietor, `NOM Prénom`. */
  denomination: string
  sigle: string | null
  nomCommercial: string | null
  formeJuridique: LegalForm
  /** Catégorie juridique: the legal form's 4-digit code. */
  categorieJuridique: string
  activite: Pick<Activity, 'code' | 'libelle'>
  /** `YYYY-MM-DD`. */
  dateCreation: string
  trancheEffectif: Headcount
  effectif: number
  categorieEntreprise: 'PME' | 'ETI' | 'GE'
  /** In euros; `null` for sole proprietors and associations. */
  capitalSocial: number | null
  chiffreAffaires: number
  /** Address of the head office (siège). */
  address: Address
  nicSiege: string
  siretSiege: string
  /** SIRETs of its establishments, head office first. */
  etablissements: string[]
  vatNumber: string
  /** The owner when `type` is `personne_physique`. */
  personnePhysique: Person | null
  dirigeants: Person[]
  etatAdministratif: 'A' | 'C'
  dateCessation: string | null
  statusDiffusion: 'diffusible'
  economieSocialeEtSolidaire: boolean
  /** RNA number of an association (`W` + 9 digits), else `null`. */
  rna: string | null
  email: string
  telephone: string
  siteWeb: string | null
}

/** An establishment (établissement) of a legal unit. */
export interface Establishment {
  siret: string
  siren: string
  nic: string
  /** True for the head office, whose address is the legal unit's. */
  siege: boolean
  company: Company
  address: Address
  enseigne: string | null
  activite: Pick<Activity, 'code' | 'libelle'>
  trancheEffectif: Headcount
  effectif: number
  dateCreation: string
  etatAdministratif: 'A' | 'F'
  dateFermeture: string | null
}

const companies = new LRUCache<string, Company>({ max: 10_000 })
const establishments = new LRUCache<string, Establishment>({ max: 10_000 })
const random = createSeededFaker()

/** The legal unit of a SIREN for a seed; the same object on every call while cached. */
export function companyFor(siren: string, seed: number): Company {
  const key = `${seed}:${siren}`
  let company = companies.get(key)
  if (!company) {
    company = deepFreeze(drawCompany(random.forKey(seed, 'company', siren), siren))
    companies.set(key, company)
  }
  return company
}

/** The establishment of a SIRET for a seed, attached to `companyFor(siret.slice(0, 9), seed)`. */
export function establishmentFor(siret: string, seed: number): Establishment {
  const key = `${seed}:${siret}`
  let establishment = establishments.get(key)
  if (!establishment) {
    // The company first: its own draws reseed the shared faker, ours come after.
    const company = companyFor(siret.slice(0, 9), seed)
    const faker = random.forKey(seed, 'establishment', siret)
    establishment = deepFreeze(drawEstablishment(faker, siret, company))
    establishments.set(key, establishment)
  }
  return establishment
}

function drawCompany(faker: Faker, siren: string): Company {
  const form = faker.helpers.weightedArrayElement(
    LEGAL_FORMS.map((f) => ({ weight: f.weight, value: f })),
  )
  const physical = form.code === '1000'
  const association = form.code === '9220'
  const activity = association
    ? faker.helpers.arrayElement(ACTIVITIES.filter((a) => /^9[34]/.test(a.code)))
    : faker.helpers.arrayElement(ACTIVITIES.filter((a) => !/^9[34]/.test(a.code)))
  const owner = physical ? createPerson(faker, { fonction: ROLES.ei[0] }) : null
  const address = createAddress(faker)
  const created = pastDate(faker, 40, 39)
  const effectif = drawHeadcount(faker, physical)
  const band = bandFor(effectif)
  const name = owner
    ? `${owner.nom} ${stripAccents(owner.prenoms[0]!).toUpperCase()}`
    : drawName(faker, activity, address.commune, association)
  const nicPrefixes = ['0001', '0002', '0003'].slice(faker.number.int(2))
  const count = physical ? 1 : faker.number.int({ min: 1, max: 4 })
  const etablissements = Array.from({ length: count }, (_, i) =>
    siretFrom(siren, String(Number(nicPrefixes[0]) + i * 3).padStart(4, '0')),
  )
  const ceased = faker.number.int(19) === 0
  const slug = stripAccents(name)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
  return {
    siren,
    type: physical ? 'personne_physique' : 'personne_morale',
    denomination: name,
    sigle: !physical && faker.number.int(3) === 0 ? initials(name) : null,
    nomCommercial:
      faker.number.int(2) === 0
        ? `${faker.helpers.arrayElement(activity.words)} ${address.commune.replace(/ \d.*$/, '')}`
        : null,
    formeJuridique: form,
    categorieJuridique: form.code,
    activite: { code: activity.code, libelle: activity.libelle },
    dateCreation: isoDay(created),
    trancheEffectif: {
      code: band.code,
      intitule: band.intitule,
      annee: String(REFERENCE_DATE.getUTCFullYear() - 2),
      de: band.min,
      a: band.max,
    },
    effectif,
    categorieEntreprise: effectif < 250 ? 'PME' : effectif < 5000 ? 'ETI' : 'GE',
    capitalSocial: physical || association ? null : drawCapital(faker, form.short),
    chiffreAffaires: (effectif + 1) * faker.number.int({ min: 60, max: 180 }) * 1000,
    address,
    nicSiege: etablissements[0]!.slice(9),
    siretSiege: etablissements[0]!,
    etablissements,
    vatNumber: vatNumber(siren),
    personnePhysique: owner,
    dirigeants: owner ? [owner] : drawOfficers(faker, form),
    etatAdministratif: ceased ? 'C' : 'A',
    dateCessation: ceased
      ? isoDay(faker.date.between({ from: created, to: REFERENCE_DATE }))
      : null,
    statusDiffusion: 'diffusible',
    economieSocialeEtSolidaire: association || faker.number.int(19) === 0,
    rna: association ? `W${faker.string.numeric(9)}` : null,
    email: `contact@${slug}.fr`,
    telephone: `0${faker.helpers.arrayElement(['1', '2', '3', '4', '5', '9'])}${faker.string.numeric(8)}`,
    siteWeb: faker.datatype.boolean() ? `https://www.${slug}.fr` : null,
  }
}

function drawEstablishment(faker: Faker, siret: string, company: Company): Establishment {
  const siege = siret === company.siretSiege
  const effectif = siege
    ? company.effectif
    : Math.floor(company.effectif / faker.number.int({ min: 2, max: 6 }))
  const band = bandFor(effectif)
  const closed = company.etatAdministratif === 'C' || (!siege && faker.number.int(9) === 0)
  const created = faker.date.between({ from: company.dateCreation, to: REFERENCE_DATE })
  return {
    siret,
    siren: company.siren,
    nic: siret.slice(9),
    siege,
    company,
    address: siege ? company.address : createAddress(faker),
    enseigne: siege
      ? company.nomCommercial
      : faker.datatype.boolean()
        ? company.nomCommercial
        : null,
    activite: company.activite,
    trancheEffectif: {
      ...company.trancheEffectif,
      code: band.code,
      intitule: band.intitule,
      de: band.min,
      a: band.max,
    },
    effectif,
    dateCreation: siege ? company.dateCreation : isoDay(created),
    etatAdministratif: closed ? 'F' : 'A',
    dateFermeture: closed
      ? (company.dateCessation ?? isoDay(faker.date.between({ from: created, to: REFERENCE_DATE })))
      : null,
  }
}

function drawName(faker: Faker, activity: Activity, commune: string, association: boolean): string {
  const word = faker.helpers.arrayElement(activity.words)
  const family = stripAccents(faker.person.lastName()).toUpperCase()
  if (association) return `${word} DE ${commune.replace(/ \d.*$/, '')}`
  const shapes = [
    `${word} ${family}`,
    `${family} ${word}`,
    `${family} ET ASSOCIES`,
    `GROUPE ${family}`,
  ]
  return faker.helpers.arrayElement(shapes)
}

function drawHeadcount(faker: Faker, physical: boolean): number {
  const bands = physical ? HEADCOUNT_BANDS.slice(0, 5) : HEADCOUNT_BANDS
  const weights = [20, 15, 15, 12, 10, 10, 8, 4, 3, 2, 2, 1, 1, 1, 1, 1]
  const band = faker.helpers.weightedArrayElement(
    bands.map((b, i) => ({ weight: weights[i]!, value: b })),
  )
  return faker.number.int({ min: band.min, max: band.max })
}

function drawCapital(faker: Faker, short: string): number {
  if (short === 'SA') return faker.helpers.arrayElement([37_000, 100_000, 500_000, 2_000_000])
  return faker.helpers.arrayElement([1_000, 1_500, 5_000, 10_000, 50_000, 100_000, 250_000])
}

function drawOfficers(faker: Faker, form: LegalForm): Person[] {
  const roles: readonly string[] =
    form.code === '9220'
      ? ROLES.association
      : form.short === 'SA'
        ? ROLES.sa
        : /^(SARL|EURL|SNC|SCI)$/.test(form.short)
          ? ROLES.sarl
          : ROLES.sas
  const count = faker.number.int({ min: 1, max: roles.length })
  return roles.slice(0, count).map((fonction) => createPerson(faker, { fonction }))
}

/** `'GROUPE MARTIN CONSEIL'` → `'GMC'`. */
const initials = (name: string): string =>
  name
    .split(/[\s-]+/)
    .filter((w) => w.length > 2)
    .map((w) => w[0])
    .join('')
    .slice(0, 5) || name.slice(0, 3)

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}
