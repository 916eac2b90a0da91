/**
 * Values of company fields (identifiers, names, legal form, activity, headcount, dates, status),
 * read from the subject: the legal unit or the establishment the field talks about.
 */
import type { FieldRequest } from './generation-types.js'
import { nafWithoutDot } from './nomenclatures.js'
import type { Subject } from './subject.js'
import { writeDate } from './values.js'

/** Names of objects that hold a company's or an establishment's own fields. */
const ORG_OBJECTS =
  /^(|data|unite_legale|identite_entreprise|entreprise|personne_morale|etablissements?|siege_social|filiales|composition_reseau|reseaux_affiliation|etablissement_principal)$/

/** Suggestions for a company or establishment field, or `undefined` when the key says nothing. */
export function companyFields(req: FieldRequest, s: Subject): readonly unknown[] | undefined {
  const k = req.key.toLowerCase()
  const p = req.parentKey.toLowerCase()
  return groupField(s, k, p) ?? plainField(req, s, k, p)
}

/** Fields of a sub-object: `forme_juridique.code`, `activite_principale.libelle`, `tranche_effectif.de`... */
function groupField(s: Subject, k: string, p: string): readonly unknown[] | undefined {
  const c = s.company
  const unit = s.level === 'unit'
  if (/forme_juridique|categorie_juridique/.test(p)) {
    if (k === 'code') return [c.formeJuridique.code, c.formeJuridique.short]
    if (k === 'libelle' || k === 'valeur' || k === 'intitule') return [c.formeJuridique.libelle]
  }
  if (/^(activite_principale(_naf_rev2)?|code_ape|code_naf|naf|ape|activite)$/.test(p)) {
    const activity = unit ? c.activite : s.establishment.activite
    if (k === 'code') return [activity.code, nafWithoutDot(activity.code)]
    if (k === 'libelle' || k === 'intitule') return [activity.libelle]
    if (k === 'nomenclature') return ['NAFRev2']
  }
  if (/tranche_effectif/.test(p)) {
    const band = unit ? c.trancheEffectif : s.establishment.trancheEffectif
    if (k === 'code') return [band.code]
    if (k === 'intitule' || k === 'libelle') return [band.intitule]
    if (k === 'date_reference' || k === 'annee') return [band.annee, Number(band.annee)]
    if (k === 'de') return [band.de]
    if (k === 'a') return [band.a]
  }
  if (/^capital(_social)?$/.test(p)) {
    if (k === 'montant') return [c.capitalSocial]
    if (k === 'devise' || k === 'code_devise') return ['EUR']
  }
  if (p === 'personne_morale_attributs' && c.type === 'personne_physique') return [null]
  if (p === 'personne_physique_attributs' && c.type === 'personne_morale') return [null]
  return undefined
}

function plainField(
  req: FieldRequest,
  s: Subject,
  k: string,
  p: string,
): readonly unknown[] | undefined {
  const c = s.company
  const e = s.establishment
  const unit = s.level === 'unit'
  const node = req.node
  switch (k) {
    case 'siren':
    case 'numero_siren':
    case 'siren_unite_legale':
      return [c.siren]
    case 'siret':
    case 'numero_siret':
      return [e.siret]
    case 'nic':
      return [e.nic]
    case 'siret_siege_social':
    case 'siret_siege':
    case 'siret_du_siege':
      return [c.siretSiege]
    case 'nic_siege':
      return [c.nicSiege]
    case 'raison_sociale':
    case 'denomination':
    case 'nom_entreprise':
    case 'nom_raison_sociale':
      return [c.denomination]
    case 'nom':
      return ORG_OBJECTS.test(p)
        ? [unit ? c.denomination : (e.enseigne ?? c.denomination)]
        : undefined
    case 'sigle':
      return [c.sigle]
    case 'nom_commercial':
      return [c.nomCommercial]
    case 'enseigne':
      return [unit ? c.nomCommercial : e.enseigne]
    case 'forme_juridique':
      return [c.formeJuridique.short, c.formeJuridique.libelle, c.formeJuridique.code]
    case 'categorie_juridique':
    case 'code_forme_juridique':
    case 'code_categorie_juridique':
      return [c.formeJuridique.code]
    case 'libelle_forme_juridique':
    case 'libelle_categorie_juridique':
      return [c.formeJuridique.libelle]
    case 'code_naf':
    case 'code_ape':
    case 'naf':
    case 'ape':
    case 'code_activite_principale':
      return [(unit ? c : e).activite.code, nafWithoutDot((unit ? c : e).activite.code)]
    case 'activite_principale':
    case 'activite':
    case 'libelle_activite_principale':
    case 'libelle_naf':
    case 'libelle_ape':
    case 'activite_principales_objet_social':
      return [(unit ? c : e).activite.libelle]
    case 'categorie_entreprise':
      return [c.categorieEntreprise]
    case 'etat_administratif':
      return unit
        ? [c.etatAdministratif, c.etatAdministratif === 'C' ? 'F' : 'A']
        : [e.etatAdministratif, e.etatAdministratif === 'F' ? 'C' : 'A']
    case 'date_creation':
    case 'date_debut_activite':
      return [writeDate(unit ? c.dateCreation : e.dateCreation, node)]
    case 'date_immatriculation':
    case 'date_immatriculation_rne':
      return [writeDate(c.dateCreation, node)]
    case 'date_cessation':
    case 'date_radiation':
      return [writeDate(c.dateCessation, node)]
    case 'date_fermeture':
      return [writeDate(unit ? c.dateCessation : e.dateFermeture, node)]
    case 'siege_social':
    case 'siege':
    case 'est_siege':
      return [e.siege]
    case 'type_etablissement':
      return e.siege ? ['Siège et principal', 'Siège', 'SIEGE'] : ['Secondaire', 'SECONDAIRE']
    case 'statut':
      return unit
        ? undefined
        : e.etatAdministratif === 'A'
          ? ['actif', 'active', 'A']
          : ['fermé', 'ferme', 'F']
    case 'actif':
    case 'active':
    case 'etat':
      return [(unit ? c.etatAdministratif : e.etatAdministratif) === 'A']
    case 'diffusable_commercialement':
    case 'diffusion_commerciale':
    case 'diffusion_insee':
      return [true]
    case 'status_diffusion':
    case 'statut_diffusion':
      return [c.statusDiffusion]
    case 'economie_sociale_et_solidaire':
      return [c.economieSocialeEtSolidaire]
    case 'effectif':
    case 'effectifs':
    case 'effectif_salarie':
    case 'nombre_salaries':
      return [unit ? c.effectif : e.effectif]
    case 'tranche_effectif':
    case 'tranche_effectif_salarie':
      return [(unit ? c : e).trancheEffectif.code]
    case 'capital':
    case 'capital_social':
    case 'montant_capital':
      return [c.capitalSocial]
    case 'chiffre_affaires':
      return [Math.round(c.chiffreAffaires * req.ctx.faker.number.float({ min: 0.85, max: 1.15 }))]
    case 'tva_number':
    case 'numero_tva':
    case 'numero_tva_intracommunautaire':
    case 'tva_intracommunautaire':
    case 'numero_tva_intra':
    case 'vat_number':
      return [c.vatNumber]
    case 'rna':
    case 'numero_rna':
    case 'rna_id':
    case 'id_rna':
      return [c.rna]
    case 'email':
    case 'courriel':
    case 'mail':
      return [c.email]
    case 'telephone':
    case 'tel':
      return [c.telephone]
    case 'site_web':
    case 'site_internet':
    case 'website':
      return [c.siteWeb]
    case 'type':
      // Only where the schema lists the two kinds: `type` means many things elsewhere.
      return node.enum?.includes(c.type) ? [c.type] : undefined
    case 'associe_unique':
      return [c.formeJuridique.short === 'SASU' || c.formeJuridique.short === 'EURL']
    case 'redirect_from_siren':
    case 'redirect_from_siret':
      return [null]
    default:
      return undefined
  }
}
