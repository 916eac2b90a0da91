/**
 * The coherent entity model: a legal unit (unité légale) per SIREN and an establishment
 * (établissement) per SIRET, each drawn once from `(seed, identifier)` and memoised. Every operation
 * that shows a company reads it from here, so its name, address and legal form never disagree.
 */
import { LRUCache } from 'lru-cache'
import type { Address } from './address.js'
import { drawCompany, drawEstablishment } from './draw-company.js'
import type { Activity, LegalForm } from './nomenclatures.js'
import type { Person } from './person.js'
import { createSeededFaker } from './seeded.js'

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

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}
