/** How a fictitious company and its establishments are drawn: the model's rules of plausibility. */
import type { Faker } from '@faker-js/faker'
import { createAddress } from './address.js'
import type { Company, Establishment } from './company-model.js'
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
import { createPerson, drawLastName, stripAccents, type Person } from './person.js'
import { isoDay, pastDate, randomDigits, referenceDate } from './seeded.js'

/** Draws the legal unit of `siren` (one faker, seeded for that SIREN). */
export function drawCompany(faker: Faker, siren: string): Company {
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
      annee: String(referenceDate().getUTCFullYear() - 2),
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
      ? isoDay(faker.date.between({ from: created, to: referenceDate() }))
      : null,
    statusDiffusion: 'diffusible',
    economieSocialeEtSolidaire: association || faker.number.int(19) === 0,
    rna: association ? `W${randomDigits(faker, 9)}` : null,
    email: `contact@${slug}.fr`,
    telephone: `0${faker.helpers.arrayElement(['1', '2', '3', '4', '5', '9'])}${randomDigits(faker, 8)}`,
    siteWeb: faker.datatype.boolean() ? `https://www.${slug}.fr` : null,
  }
}

/** Draws an establishment of `company`; the head office shares its address. */
export function drawEstablishment(faker: Faker, siret: string, company: Company): Establishment {
  const siege = siret === company.siretSiege
  const effectif = siege
    ? company.effectif
    : Math.floor(company.effectif / faker.number.int({ min: 2, max: 6 }))
  const band = bandFor(effectif)
  const closed = company.etatAdministratif === 'C' || (!siege && faker.number.int(9) === 0)
  const created = faker.date.between({ from: company.dateCreation, to: referenceDate() })
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
      ? (company.dateCessation ??
        isoDay(faker.date.between({ from: created, to: referenceDate() })))
      : null,
  }
}

function drawName(faker: Faker, activity: Activity, commune: string, association: boolean): string {
  const word = faker.helpers.arrayElement(activity.words)
  const family = stripAccents(drawLastName(faker)).toUpperCase()
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

/** Officers of a legal unit of form `form`, in the roles its kind has. */
export function drawOfficers(faker: Faker, form: LegalForm): Person[] {
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
