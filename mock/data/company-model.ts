/**
 * The types of the coherent entity model (see `company.ts`, which draws and memoises them, and
 * `draw-company.ts`, which holds the rules of plausibility).
 */
import type { Address } from './address.js'
import type { Activity, LegalForm } from './nomenclatures.js'
import type { Person } from './person.js'

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
