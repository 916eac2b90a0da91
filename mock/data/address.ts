/** Postal addresses of fictitious places in real communes, in Sirene's shape. */
import type { Faker } from '@faker-js/faker'
import { COMMUNES, type Commune } from './communes.js'
import { STREET_NAMES, STREET_TYPES } from './nomenclatures.js'

export interface Address {
  /** Street number, e.g. `'12'`. */
  numeroVoie: string
  /** `'bis'`, `'ter'` or `null`. */
  indiceRepetition: string | null
  /** Street type as Sirene's label, e.g. `'AVENUE'`. */
  typeVoie: string
  /** Street type abbreviation, e.g. `'AV'`. */
  typeVoieCode: string
  /** Street name without its type, e.g. `'DE LA PAIX'`. */
  libelleVoie: string
  /** Building, floor or area; `null` most of the time. */
  complement: string | null
  codePostal: string
  /** Commune name in upper case, e.g. `'PARIS 8'`. */
  commune: string
  /** INSEE code of the commune. */
  codeCommune: string
  departement: { code: string; nom: string }
  pays: string
  codePays: string
}

const COMPLEMENTS = [
  'BATIMENT A',
  'BATIMENT B',
  'ZAC DES CHAMPS',
  'RESIDENCE LES PINS',
  'ZI NORD',
  '2EME ETAGE',
]

/** Draws an address in a real commune (or in `commune` when given). */
export function createAddress(faker: Faker, commune?: Commune): Address {
  const place = commune ?? faker.helpers.arrayElement(COMMUNES)
  const street = faker.helpers.arrayElement(STREET_TYPES)
  const repeat = faker.number.int(9)
  return {
    numeroVoie: String(faker.number.int({ min: 1, max: 180 })),
    indiceRepetition: repeat === 0 ? 'bis' : repeat === 1 ? 'ter' : null,
    typeVoie: street.label,
    typeVoieCode: street.abbreviation,
    libelleVoie: faker.helpers.arrayElement(STREET_NAMES),
    complement: faker.number.int(4) === 0 ? faker.helpers.arrayElement(COMPLEMENTS) : null,
    codePostal: place.codePostal,
    commune: place.nom,
    codeCommune: place.codeCommune,
    departement: place.departement,
    pays: 'FRANCE',
    codePays: 'FR',
  }
}

/** The street line: `'12 BIS AVENUE DE LA PAIX'`. */
export function streetLine(address: Address): string {
  const repeat = address.indiceRepetition ? ` ${address.indiceRepetition.toUpperCase()}` : ''
  return `${address.numeroVoie}${repeat} ${address.typeVoie} ${address.libelleVoie}`
}

/** The street without its number: `'AVENUE DE LA PAIX'`. */
export const streetName = (address: Address): string => `${address.typeVoie} ${address.libelleVoie}`

/** The postcode line: `'75008 PARIS 8'`. */
export const cityLine = (address: Address): string => `${address.codePostal} ${address.commune}`

/**
 * The seven lines of a French postal address (norme AFNOR NF Z10-011) for `name`; lines with
 * nothing to say are `null`, as Sirene's `acheminement_postal` has them.
 */
export function postalLines(address: Address, name: string): (string | null)[] {
  return [
    name,
    null,
    address.complement,
    streetLine(address),
    null,
    cityLine(address),
    address.pays,
  ]
}
