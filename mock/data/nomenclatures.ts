/**
 * Small extracts of real INSEE nomenclatures, enough for coherent fictitious companies: legal forms
 * (catégories juridiques), activities (NAF rév. 2), headcount bands (tranches d'effectif) and street
 * types. Sources: insee.fr nomenclatures (catégories juridiques, NAF rév. 2, variable TEFEN).
 */

/** A legal form: INSEE 4-digit code, official label, short form used by registries. */
export interface LegalForm {
  code: string
  libelle: string
  short: string
  /** Relative frequency among generated companies. */
  weight: number
}

export const LEGAL_FORMS: readonly LegalForm[] = [
  { code: '5710', libelle: 'SAS, société par actions simplifiée', short: 'SAS', weight: 30 },
  {
    code: '5499',
    libelle: 'Société à responsabilité limitée (sans autre indication)',
    short: 'SARL',
    weight: 20,
  },
  { code: '1000', libelle: 'Entrepreneur individuel', short: 'EI', weight: 15 },
  {
    code: '5720',
    libelle:
      'Société par actions simplifiée à associé unique ou société par actions simplifiée unipersonnelle',
    short: 'SASU',
    weight: 10,
  },
  { code: '5498', libelle: 'SARL unipersonnelle', short: 'EURL', weight: 8 },
  { code: '5599', libelle: "SA à conseil d'administration (s.a.i.)", short: 'SA', weight: 4 },
  { code: '6540', libelle: 'Société civile immobilière', short: 'SCI', weight: 5 },
  { code: '5202', libelle: 'Société en nom collectif', short: 'SNC', weight: 1 },
  { code: '9220', libelle: 'Association déclarée', short: 'ASSOCIATION', weight: 7 },
]

/** An activity: NAF rév. 2 code (with its dot, as Sirene writes it), label, words for names. */
export interface Activity {
  code: string
  libelle: string
  /** Words a company of this trade puts in its name. */
  words: readonly string[]
  /** Legal forms this activity never takes (associations run no supermarket). */
  forms?: readonly string[]
}

export const ACTIVITIES: readonly Activity[] = [
  { code: '62.01Z', libelle: 'Programmation informatique', words: ['LOGICIEL', 'DIGITAL', 'SOFT'] },
  {
    code: '62.02A',
    libelle: 'Conseil en systèmes et logiciels informatiques',
    words: ['TECHNOLOGY', 'CONSULTING', 'SYSTEMES'],
  },
  {
    code: '70.22Z',
    libelle: 'Conseil pour les affaires et autres conseils de gestion',
    words: ['CONSEIL', 'PARTNERS', 'STRATEGIE'],
  },
  {
    code: '71.12B',
    libelle: 'Ingénierie, études techniques',
    words: ['INGENIERIE', 'ETUDES', 'BUREAU TECHNIQUE'],
  },
  {
    code: '43.21A',
    libelle: "Travaux d'installation électrique dans tous locaux",
    words: ['ELEC', 'ELECTRICITE', 'ENERGIES'],
  },
  {
    code: '43.22A',
    libelle: "Travaux d'installation d'eau et de gaz en tous locaux",
    words: ['PLOMBERIE', 'SANITAIRE', 'THERMIQUE'],
  },
  {
    code: '41.20A',
    libelle: 'Construction de maisons individuelles',
    words: ['CONSTRUCTION', 'BATIMENT', 'HABITAT'],
  },
  {
    code: '56.10A',
    libelle: 'Restauration traditionnelle',
    words: ['BRASSERIE', 'BISTROT', 'RESTAURANT'],
  },
  {
    code: '10.71C',
    libelle: 'Boulangerie et boulangerie-pâtisserie',
    words: ['BOULANGERIE', 'FOURNIL', 'PATISSERIE'],
  },
  { code: '47.11D', libelle: 'Supermarchés', words: ['DISTRIBUTION', 'MARCHE', 'ALIMENTATION'] },
  { code: '96.02A', libelle: 'Coiffure', words: ['COIFFURE', 'SALON', 'BEAUTE'] },
  {
    code: '45.20A',
    libelle: 'Entretien et réparation de véhicules automobiles légers',
    words: ['GARAGE', 'AUTOMOBILES', 'AUTO SERVICE'],
  },
  {
    code: '68.20B',
    libelle: "Location de terrains et d'autres biens immobiliers",
    words: ['IMMOBILIER', 'PATRIMOINE', 'FONCIERE'],
  },
  {
    code: '85.59A',
    libelle: "Formation continue d'adultes",
    words: ['FORMATION', 'ACADEMIE', 'COMPETENCES'],
  },
  {
    code: '94.99Z',
    libelle: 'Autres organisations fonctionnant par adhésion volontaire',
    words: ['AMICALE', 'ASSOCIATION', 'CLUB'],
  },
  {
    code: '93.12Z',
    libelle: 'Activités de clubs de sports',
    words: ['SPORTING CLUB', 'ATHLETIC', 'UNION SPORTIVE'],
  },
]

/** NAF code without its dot (`62.02A` → `6202A`), as some registries write it. */
export const nafWithoutDot = (code: string): string => code.replace('.', '')

/** A headcount band (tranche d'effectif salarié), with its bounds. */
export interface HeadcountBand {
  code: string
  intitule: string
  min: number
  max: number
}

export const HEADCOUNT_BANDS: readonly HeadcountBand[] = [
  { code: 'NN', intitule: 'Unité non employeuse', min: 0, max: 0 },
  { code: '00', intitule: '0 salarié', min: 0, max: 0 },
  { code: '01', intitule: '1 ou 2 salariés', min: 1, max: 2 },
  { code: '02', intitule: '3 à 5 salariés', min: 3, max: 5 },
  { code: '03', intitule: '6 à 9 salariés', min: 6, max: 9 },
  { code: '11', intitule: '10 à 19 salariés', min: 10, max: 19 },
  { code: '12', intitule: '20 à 49 salariés', min: 20, max: 49 },
  { code: '21', intitule: '50 à 99 salariés', min: 50, max: 99 },
  { code: '22', intitule: '100 à 199 salariés', min: 100, max: 199 },
  { code: '31', intitule: '200 à 249 salariés', min: 200, max: 249 },
  { code: '32', intitule: '250 à 499 salariés', min: 250, max: 499 },
  { code: '41', intitule: '500 à 999 salariés', min: 500, max: 999 },
  { code: '42', intitule: '1 000 à 1 999 salariés', min: 1000, max: 1999 },
  { code: '51', intitule: '2 000 à 4 999 salariés', min: 2000, max: 4999 },
  { code: '52', intitule: '5 000 à 9 999 salariés', min: 5000, max: 9999 },
  { code: '53', intitule: '10 000 salariés et plus', min: 10000, max: 20000 },
]

/** The band that contains a headcount (`NN` for a non-employer). */
export function bandFor(headcount: number): HeadcountBand {
  if (headcount === 0) return HEADCOUNT_BANDS[0]!
  return HEADCOUNT_BANDS.find((b) => b.code !== 'NN' && headcount <= b.max) ?? HEADCOUNT_BANDS[15]!
}

/** A street type: Sirene label and its abbreviation. */
export interface StreetType {
  label: string
  abbreviation: string
}

export const STREET_TYPES: readonly StreetType[] = [
  { label: 'RUE', abbreviation: 'RUE' },
  { label: 'RUE', abbreviation: 'RUE' },
  { label: 'RUE', abbreviation: 'RUE' },
  { label: 'AVENUE', abbreviation: 'AV' },
  { label: 'BOULEVARD', abbreviation: 'BD' },
  { label: 'PLACE', abbreviation: 'PL' },
  { label: 'CHEMIN', abbreviation: 'CHE' },
  { label: 'ALLÉE', abbreviation: 'ALL' },
  { label: 'IMPASSE', abbreviation: 'IMP' },
  { label: 'QUAI', abbreviation: 'QUAI' },
  { label: 'ROUTE', abbreviation: 'RTE' },
  { label: 'COURS', abbreviation: 'CRS' },
]

/** Street names in Sirene's upper-case style, after the street type. */
export const STREET_NAMES: readonly string[] = [
  'DE LA PAIX',
  'VICTOR HUGO',
  'DES LILAS',
  'JEAN JAURES',
  'DE LA REPUBLIQUE',
  'PASTEUR',
  'DU GENERAL DE GAULLE',
  'DES ECOLES',
  'DU MOULIN',
  'DE LA GARE',
  'GAMBETTA',
  'DES TILLEULS',
  'SAINT-MARTIN',
  'DU CHATEAU',
  'DE VERDUN',
  'FOCH',
  'CARNOT',
  'DES ACACIAS',
  'DE LA LIBERATION',
  'EMILE ZOLA',
  'DU COMMERCE',
  'DES VIGNES',
  'DE L INDUSTRIE',
  'MARCEL PAGNOL',
  'DES PEUPLIERS',
]

/** Officers' roles, by kind of legal unit. */
export const ROLES = {
  sas: ['Président', 'Directeur général', 'Directeur général délégué'],
  sarl: ['Gérant', 'Co-gérant'],
  sa: ["Président du conseil d'administration", 'Directeur général', 'Administrateur'],
  association: ['Président', 'Trésorier', 'Secrétaire'],
  ei: ['Entrepreneur individuel'],
} as const
