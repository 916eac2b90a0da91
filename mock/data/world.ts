/**
 * One fictitious world per sandbox: the companies every generated answer talks about, drawn from
 * `(seed, SIREN)`, corrected by what the fixture cases say about them. A staging case that shows
 * SIREN 478464803 as an individual entrepreneur named DUPONT makes every generated answer about that
 * SIREN say so too (its officers are that person, its legal form 1000); an association's RNA names
 * one association everywhere, with that RNA.
 */
import { companyFor, establishmentFor, type Company, type Establishment } from './company.js'
import { drawEstablishment, drawOfficers } from './draw-company.js'
import { luhnComplete } from './identifiers.js'
import { LEGAL_FORMS, ROLES, type LegalForm } from './nomenclatures.js'
import { createPerson, stripAccents, type Person } from './person.js'
import { createSeededFaker, deriveSeed, randomDigits } from './seeded.js'
import { lazyLru } from '../lazy-cache.js'

/** What cases say about a legal unit; every field is optional. */
export interface EntityFacts {
  siren: string
  type?: Company['type']
  denomination?: string
  sigle?: string
  formeJuridique?: { code: string; libelle?: string }
  categorieEntreprise?: Company['categorieEntreprise']
  etatAdministratif?: Company['etatAdministratif']
  dateCessation?: string
  dateCreation?: string
  activite?: { code: string; libelle: string }
  rna?: string
  siretSiege?: string
  person?: { nom: string; prenoms: string[]; sexe?: 'M' | 'F' }
}

/** Facts by SIREN, and the SIREN of each RNA the cases name. */
export interface WorldFacts {
  companies: Map<string, EntityFacts>
  rnas: Map<string, string>
}

export interface World {
  seed: number
  /** The legal unit of a SIREN, with the facts the cases give about it. */
  company(siren: string): Company
  /** An establishment, attached to `company(siret.slice(0, 9))`. */
  establishment(siret: string): Establishment
  /** The SIREN of the association an RNA names: the one the cases give, else one of its own. */
  sirenOfRna(rna: string): string
}

/** An RNA number: `W` and nine digits. */
export const RNA = /^W\d{9}$/

export const emptyFacts = (): WorldFacts => ({ companies: new Map(), rnas: new Map() })

/** The world of a seed, corrected by `facts`. */
export function createWorld(seed: number, facts: WorldFacts = emptyFacts()): World {
  const companies = lazyLru<string, Company>({ max: 10_000 })
  const establishments = lazyLru<string, Establishment>({ max: 10_000 })
  const random = createSeededFaker()
  // RNAs met in requests that no case names: each gets a SIREN of its own, an association's.
  const asked = lazyLru<string, EntityFacts>({ max: 10_000 })
  const factsOf = (siren: string): EntityFacts | undefined =>
    facts.companies.get(siren) ?? asked().get(siren)
  const world: World = {
    seed,
    company(siren) {
      const known = factsOf(siren)
      if (!known) return companyFor(siren, seed)
      let company = companies().get(siren)
      if (!company) {
        company = applyFacts(companyFor(siren, seed), known, random.forKey(seed, 'facts', siren))
        companies().set(siren, company)
      }
      return company
    },
    establishment(siret) {
      const siren = siret.slice(0, 9)
      if (!factsOf(siren)) return establishmentFor(siret, seed)
      let establishment = establishments().get(siret)
      if (!establishment) {
        const company = world.company(siren)
        establishment = Object.freeze(
          drawEstablishment(random.forKey(seed, 'establishment', siret), siret, company),
        )
        establishments().set(siret, establishment)
      }
      return establishment
    },
    sirenOfRna(rna) {
      const known = facts.rnas.get(rna)
      if (known) return known
      const siren = luhnComplete(String(10_000_000 + (deriveSeed(seed, 'rna', rna) % 89_999_999)))
      if (!facts.companies.has(siren) && !asked().has(siren))
        asked().set(siren, { siren, rna, formeJuridique: { code: '9220' } })
      return siren
    },
  }
  return world
}

/** The drawn company, changed where the facts say otherwise, and everything that follows from it. */
function applyFacts(
  base: Company,
  f: EntityFacts,
  faker: ReturnType<ReturnType<typeof createSeededFaker>['forKey']>,
): Company {
  const form = legalForm(f.formeJuridique) ?? base.formeJuridique
  const physical = f.type ? f.type === 'personne_physique' : form.code === '1000'
  const association = /^92/.test(form.code)
  let owner: Person | null = null
  if (physical) {
    const drawn = base.personnePhysique ?? createPerson(faker)
    owner = {
      ...drawn,
      ...(f.person
        ? {
            nom: f.person.nom.toUpperCase(),
            prenoms: f.person.prenoms.map(titleCase),
            ...(f.person.sexe ? { sexe: f.person.sexe } : {}),
          }
        : {}),
      fonction: ROLES.ei[0],
    }
  }
  const kindChanged =
    (base.type === 'personne_physique') !== physical || base.formeJuridique.code !== form.code
  const denomination =
    f.denomination ??
    (owner
      ? `${owner.nom} ${stripAccents(owner.prenoms[0] ?? '').toUpperCase()}`.trim()
      : base.type === 'personne_physique'
        ? `${base.denomination} ET ASSOCIES`
        : base.denomination)
  const siretSiege =
    f.siretSiege && f.siretSiege.startsWith(base.siren) && /^\d{14}$/.test(f.siretSiege)
      ? f.siretSiege
      : base.siretSiege
  const etablissements = [siretSiege, ...base.etablissements.filter((s) => s !== siretSiege)]
  const ceased = (f.etatAdministratif ?? base.etatAdministratif) === 'C'
  const company: Company = {
    ...base,
    type: physical ? 'personne_physique' : 'personne_morale',
    denomination,
    sigle: physical ? null : (f.sigle ?? (kindChanged ? null : base.sigle)),
    formeJuridique: form,
    categorieJuridique: form.code,
    ...(f.activite ? { activite: f.activite } : {}),
    ...(f.dateCreation ? { dateCreation: f.dateCreation } : {}),
    ...(f.categorieEntreprise ? { categorieEntreprise: f.categorieEntreprise } : {}),
    capitalSocial: physical || association ? null : (base.capitalSocial ?? 10_000),
    nicSiege: siretSiege.slice(9),
    siretSiege,
    etablissements: physical ? [siretSiege] : etablissements,
    personnePhysique: owner,
    dirigeants: owner ? [owner] : kindChanged ? drawOfficers(faker, form) : base.dirigeants,
    etatAdministratif: ceased ? 'C' : 'A',
    dateCessation: ceased ? (f.dateCessation ?? base.dateCessation ?? base.dateCreation) : null,
    rna: f.rna ?? (association ? (base.rna ?? `W${randomDigits(faker, 9)}`) : null),
    economieSocialeEtSolidaire: association || base.economieSocialeEtSolidaire,
  }
  return deepFreeze(company)
}

function legalForm(given: EntityFacts['formeJuridique']): LegalForm | undefined {
  if (!given) return undefined
  const known = LEGAL_FORMS.find((f) => f.code === given.code)
  if (known) return given.libelle ? { ...known, libelle: given.libelle } : known
  return {
    code: given.code,
    libelle: given.libelle ?? given.code,
    short: given.code === '1000' ? 'EI' : /^92/.test(given.code) ? 'ASSOCIATION' : given.code,
    weight: 0,
  }
}

const titleCase = (name: string): string =>
  name.toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (m) => m.toUpperCase())

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}
