/**
 * Values of company fields (identifiers, names, legal form, activity, headcount, dates, status),
 * read from the subject: the legal unit or the establishment the field talks about.
 */
import type { Company, Establishment } from './company.js'
import type { FieldRequest } from './generation-types.js'
import { nafWithoutDot } from './nomenclatures.js'
import type { Subject } from './subject.js'
import { writeDate } from './values.js'

/** Names of objects that hold a company's or an establishment's own fields. */
const ORG_OBJECTS =
  /^(|data|unite_legale|identite_entreprise|entreprise|personne_morale|etablissements?|siege_social|filiales|composition_reseau|reseaux_affiliation|etablissement_principal)$/
const GROUPS =
  /forme_juridique|categorie_juridique|activite|code_ape|code_naf|^naf$|^ape$|effectif|capital|_attributs$/

/** What a rule reads: the company, the establishment, and whether the field is the unit's. */
interface Scope {
  c: Company
  e: Establishment
  unit: boolean
  req: FieldRequest
  p: string
}
type Rule = (s: Scope) => readonly unknown[] | undefined

const rule = (keys: string[], fn: Rule): [string, Rule][] => keys.map((k) => [k, fn])
const own = (s: Scope): Company | Establishment => (s.unit ? s.c : s.e)

/** Plain company fields by key: a table, so a field that is not one costs a single lookup. */
const RULES = new Map<string, Rule>([
  ...rule(['siren', 'numero_siren', 'siren_unite_legale'], ({ c }) => [c.siren]),
  ...rule(['siret', 'numero_siret'], ({ e }) => [e.siret]),
  ...rule(['nic'], ({ e }) => [e.nic]),
  ...rule(['siret_siege_social', 'siret_siege', 'siret_du_siege'], ({ c }) => [c.siretSiege]),
  ...rule(['nic_siege'], ({ c }) => [c.nicSiege]),
  ...rule(['raison_sociale', 'denomination', 'nom_entreprise', 'nom_raison_sociale'], ({ c }) => [
    c.denomination,
  ]),
  ...rule(['nom'], ({ c, e, unit, p }) =>
    ORG_OBJECTS.test(p) ? [unit ? c.denomination : (e.enseigne ?? c.denomination)] : undefined,
  ),
  ...rule(['sigle'], ({ c }) => [c.sigle]),
  ...rule(['nom_commercial'], ({ c }) => [c.nomCommercial]),
  ...rule(['enseigne'], ({ c, e, unit }) => [unit ? c.nomCommercial : e.enseigne]),
  ...rule(['forme_juridique'], ({ c }) => [
    c.formeJuridique.short,
    c.formeJuridique.libelle,
    c.formeJuridique.code,
  ]),
  ...rule(['categorie_juridique', 'code_forme_juridique', 'code_categorie_juridique'], ({ c }) => [
    c.formeJuridique.code,
  ]),
  ...rule(['libelle_forme_juridique', 'libelle_categorie_juridique'], ({ c }) => [
    c.formeJuridique.libelle,
  ]),
  ...rule(['code_naf', 'code_ape', 'naf', 'ape', 'code_activite_principale'], (s) => [
    own(s).activite.code,
    nafWithoutDot(own(s).activite.code),
  ]),
  ...rule(
    [
      'activite_principale',
      'activite',
      'libelle_activite_principale',
      'libelle_naf',
      'libelle_ape',
      'activite_principales_objet_social',
    ],
    (s) => [own(s).activite.libelle],
  ),
  ...rule(['categorie_entreprise'], ({ c }) => [c.categorieEntreprise]),
  // A unit is A(ctive) or C(eased), an establishment A or F(ermé): offer both, the enum picks.
  ...rule(['etat_administratif'], ({ c, e, unit }) =>
    unit
      ? [c.etatAdministratif, c.etatAdministratif === 'C' ? 'F' : 'A']
      : [e.etatAdministratif, e.etatAdministratif === 'F' ? 'C' : 'A'],
  ),
  ...rule(['date_creation', 'date_debut_activite'], (s) => [
    writeDate(own(s).dateCreation, s.req.node),
  ]),
  ...rule(['date_immatriculation', 'date_immatriculation_rne'], ({ c, req }) => [
    writeDate(c.dateCreation, req.node),
  ]),
  ...rule(['date_cessation', 'date_radiation', 'date_dissolution'], ({ c, req }) => [
    writeDate(c.dateCessation, req.node),
  ]),
  ...rule(['date_fermeture'], ({ c, e, unit, req }) => [
    writeDate(unit ? c.dateCessation : e.dateFermeture, req.node),
  ]),
  ...rule(['siege_social', 'siege', 'est_siege'], ({ e }) => [e.siege]),
  ...rule(['type_etablissement'], ({ e }) =>
    e.siege ? ['Siège et principal', 'Siège', 'SIEGE'] : ['Secondaire', 'SECONDAIRE'],
  ),
  ...rule(['statut'], ({ e, unit }) =>
    unit
      ? undefined
      : e.etatAdministratif === 'A'
        ? ['actif', 'active', 'A']
        : ['fermé', 'ferme', 'F'],
  ),
  ...rule(['actif', 'active', 'etat'], (s) => [own(s).etatAdministratif === 'A']),
  ...rule(['diffusable_commercialement', 'diffusion_commerciale', 'diffusion_insee'], () => [true]),
  ...rule(['status_diffusion', 'statut_diffusion'], ({ c }) => [c.statusDiffusion]),
  ...rule(['economie_sociale_et_solidaire'], ({ c }) => [c.economieSocialeEtSolidaire]),
  ...rule(['effectif', 'effectifs', 'effectif_salarie', 'nombre_salaries'], (s) => [
    own(s).effectif,
  ]),
  ...rule(['tranche_effectif', 'tranche_effectif_salarie'], (s) => [own(s).trancheEffectif.code]),
  ...rule(['capital', 'capital_social', 'montant_capital'], ({ c }) => [c.capitalSocial]),
  // One figure per fiscal year: around the company's turnover, not equal to it.
  ...rule(['chiffre_affaires'], ({ c, req }) => [
    Math.round(c.chiffreAffaires * req.ctx.faker.number.float({ min: 0.85, max: 1.15 })),
  ]),
  ...rule(
    [
      'tva_number',
      'numero_tva',
      'numero_tva_intracommunautaire',
      'tva_intracommunautaire',
      'numero_tva_intra',
      'vat_number',
    ],
    ({ c }) => [c.vatNumber],
  ),
  ...rule(['rna', 'numero_rna', 'rna_id', 'id_rna'], ({ c }) => [c.rna]),
  ...rule(['email', 'courriel', 'mail'], ({ c }) => [c.email]),
  ...rule(['telephone', 'tel'], ({ c }) => [c.telephone]),
  ...rule(['site_web', 'site_internet', 'website'], ({ c }) => [c.siteWeb]),
  // Only where the schema lists the two kinds: `type` means many things elsewhere.
  ...rule(['type'], ({ c, req }) => (req.node.enum?.includes(c.type) ? [c.type] : undefined)),
  ...rule(['associe_unique'], ({ c }) => [
    c.formeJuridique.short === 'SASU' || c.formeJuridique.short === 'EURL',
  ]),
  ...rule(['redirect_from_siren', 'redirect_from_siret'], () => [null]),
])

/** Suggestions for a company or establishment field, or `undefined` when the key says nothing. */
export function companyFields(req: FieldRequest, s: Subject): readonly unknown[] | undefined {
  const k = req.key.toLowerCase()
  const p = req.parentKey.toLowerCase()
  const scope: Scope = { c: s.company, e: s.establishment, unit: s.level === 'unit', req, p }
  return (GROUPS.test(p) ? groupField(scope, k) : undefined) ?? RULES.get(k)?.(scope)
}

/** Fields of a sub-object: `forme_juridique.code`, `activite_principale.libelle`, `tranche_effectif.de`... */
function groupField(s: Scope, k: string): readonly unknown[] | undefined {
  const { c, p } = s
  if (/forme_juridique|categorie_juridique/.test(p)) {
    if (k === 'code') return [c.formeJuridique.code, c.formeJuridique.short]
    if (k === 'libelle' || k === 'valeur' || k === 'intitule') return [c.formeJuridique.libelle]
  }
  if (/^(activite_principale(_naf_rev2)?|code_ape|code_naf|naf|ape|activite)$/.test(p)) {
    const activity = own(s).activite
    if (k === 'code') return [activity.code, nafWithoutDot(activity.code)]
    if (k === 'libelle' || k === 'intitule') return [activity.libelle]
    if (k === 'nomenclature') return ['NAFRev2']
  }
  if (/tranche_effectif/.test(p)) {
    const band = own(s).trancheEffectif
    if (k === 'code') return [band.code]
    if (k === 'intitule' || k === 'libelle') return [band.intitule]
    if (k === 'date_reference' || k === 'annee') return [band.annee, Number(band.annee)]
    if (k === 'de') return [band.de]
    if (k === 'a') return [band.a]
  }
  // Headcount series (`effectifs_annuel[].value`): around the company's headcount.
  if (/effectif/.test(p) && /^(value|valeur|nombre|effectif)$/.test(k)) return [own(s).effectif]
  if (/^capital(_social)?$/.test(p)) {
    if (k === 'montant') return [c.capitalSocial]
    if (k === 'devise' || k === 'code_devise') return ['EUR']
  }
  if (p === 'personne_morale_attributs' && c.type === 'personne_physique') return [null]
  if (p === 'personne_physique_attributs' && c.type === 'personne_morale') return [null]
  return undefined
}
