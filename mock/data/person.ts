/** Fictitious natural persons: officers, owners of sole proprietorships, contacts. */
import type { Faker } from '@faker-js/faker'
import { COMMUNES } from './communes.js'
import { isoDay, pastDate } from './seeded.js'

export interface Person {
  /** Family name in upper case, e.g. `'MARTIN'`. */
  nom: string
  /** Given names, first one is the usual one, e.g. `['Sophie', 'Anne']`. */
  prenoms: string[]
  sexe: 'M' | 'F'
  /** `YYYY-MM-DD`. */
  dateNaissance: string
  /** Commune of birth, upper case. */
  lieuNaissance: string
  nationalite: string
  /** Role in the legal unit (président, gérant...), when the person is an officer. */
  fonction: string | null
}

export interface PersonOptions {
  /** Youngest age at the reference date. Default 25. */
  minAge?: number
  /** Oldest age at the reference date. Default 70. */
  maxAge?: number
  fonction?: string | null
}

/** Removes diacritics: `'Hélène'` → `'Helene'`. */
export const stripAccents = (text: string): string =>
  text.normalize('NFD').replace(/[\u0300-\u036f]/g, '')

/**
 * A family name from the locale's list: faker's `person.lastName()` expands a weighted template for
 * the same result, ten times slower.
 */
export function drawLastName(faker: Faker): string {
  const list = faker.rawDefinitions.person?.last_name?.generic
  return list?.length ? list[faker.number.int(list.length - 1)]! : faker.person.lastName()
}

/** Draws a person whose age lies within the options' bounds at the reference date. */
export function createPerson(faker: Faker, options: PersonOptions = {}): Person {
  const { minAge = 25, maxAge = 70, fonction = null } = options
  const sexe = faker.datatype.boolean() ? 'M' : 'F'
  const sex = sexe === 'M' ? 'male' : 'female'
  const count = faker.number.int({ min: 1, max: 3 })
  const prenoms: string[] = []
  while (prenoms.length < count) {
    const name = faker.person.firstName(sex)
    if (!prenoms.includes(name)) prenoms.push(name)
  }
  return {
    nom: stripAccents(drawLastName(faker)).toUpperCase(),
    prenoms,
    sexe,
    dateNaissance: isoDay(pastDate(faker, maxAge, maxAge - minAge)),
    lieuNaissance: faker.helpers.arrayElement(COMMUNES).nom.replace(/ \d.*$/, ''),
    nationalite: 'Française',
    fonction,
  }
}
