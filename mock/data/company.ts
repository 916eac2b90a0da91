/**
 * The coherent entity model: a legal unit (unité légale) per SIREN and an establishment
 * (établissement) per SIRET, each drawn once from `(seed, identifier)` and memoised. Every operation
 * that shows a company reads it from here, so its name, address and legal form never disagree.
 */
import { LRUCache } from 'lru-cache'
import { drawCompany, drawEstablishment } from './draw-company.js'
import type { Company, Establishment } from './company-model.js'
import { createSeededFaker, referenceDate } from './seeded.js'
import { DEFAULTS } from '../options.js'

export type { Address } from './address.js'
export type { Person } from './person.js'
export type { Company, Establishment, Headcount } from './company-model.js'

const companies = new LRUCache<string, Company>({ max: DEFAULTS.tuning.companies })
const establishments = new LRUCache<string, Establishment>({ max: DEFAULTS.tuning.companies })
const random = createSeededFaker()

/** The legal unit of a SIREN for a seed (and reference day); the same object on every call while cached. */
export function companyFor(siren: string, seed: number): Company {
  const key = `${seed}:${referenceDate().getTime()}:${siren}`
  let company = companies.get(key)
  if (!company) {
    company = deepFreeze(drawCompany(random.forKey(seed, 'company', siren), siren))
    companies.set(key, company)
  }
  return company
}

/** The establishment of a SIRET for a seed, attached to `companyFor(siret.slice(0, 9), seed)`. */
export function establishmentFor(siret: string, seed: number): Establishment {
  const key = `${seed}:${referenceDate().getTime()}:${siret}`
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
