/**
 * What fixture cases say about legal units: every object of a successful payload that carries a
 * `siren` gives its kind (natural or legal person), legal form, names, category, state, dates,
 * activity, RNA and head office, in API Entreprise's field names. The first case that states a
 * fact wins; later ones only fill what is still unknown.
 */
import { emptyFacts, RNA, type EntityFacts, type WorldFacts } from './world.js'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim() : undefined

/** Facts from the payloads of cases answered with a 2XX status. */
export function factsFromCases(cases: Iterable<{ status: number; payload: string }>): WorldFacts {
  const facts = emptyFacts()
  for (const c of cases) {
    if (c.status < 200 || c.status > 299) continue
    let body: unknown
    try {
      body = JSON.parse(c.payload)
    } catch {
      continue
    }
    collect(body, facts, 0)
  }
  return facts
}

function collect(value: unknown, facts: WorldFacts, depth: number): void {
  if (depth > 12) return
  if (Array.isArray(value)) {
    for (const item of value) collect(item, facts, depth + 1)
    return
  }
  if (!isObj(value)) return
  const siren = text(value.siren)
  if (siren && /^\d{9}$/.test(siren)) record(value, siren, facts)
  for (const child of Object.values(value)) collect(child, facts, depth + 1)
}

function record(o: Obj, siren: string, facts: WorldFacts): void {
  const f: EntityFacts = facts.companies.get(siren) ?? { siren }
  const set = <K extends keyof EntityFacts>(key: K, value: EntityFacts[K] | undefined): void => {
    if (value !== undefined && f[key] === undefined) f[key] = value
  }
  if (o.type === 'personne_physique' || o.type === 'personne_morale') set('type', o.type)
  const form = o.forme_juridique
  if (isObj(form) && text(form.code))
    set('formeJuridique', {
      code: text(form.code)!,
      ...(text(form.libelle) ? { libelle: text(form.libelle)! } : {}),
    })
  else if (text(o.categorie_juridique) && /^\d{4}$/.test(text(o.categorie_juridique)!))
    set('formeJuridique', { code: text(o.categorie_juridique)! })
  const moral = isObj(o.personne_morale_attributs) ? o.personne_morale_attributs : undefined
  set('denomination', text(moral?.raison_sociale) ?? text(o.raison_sociale) ?? text(o.denomination))
  set('sigle', text(moral?.sigle) ?? text(o.sigle))
  const physical = isObj(o.personne_physique_attributs) ? o.personne_physique_attributs : undefined
  const nom = text(physical?.nom_usage) ?? text(physical?.nom_naissance)
  if (physical && nom) {
    const prenoms = [1, 2, 3, 4]
      .map((i) => text(physical[`prenom_${i}`]))
      .filter((p): p is string => p !== undefined)
    const usual = text(physical.prenom_usuel)
    if (usual && !prenoms.includes(usual)) prenoms.unshift(usual)
    const sexe = physical.sexe === 'M' || physical.sexe === 'F' ? physical.sexe : undefined
    set('person', {
      nom,
      prenoms: prenoms.length ? prenoms : ['Camille'],
      ...(sexe ? { sexe } : {}),
    })
  }
  const category = o.categorie_entreprise
  if (category === 'PME' || category === 'ETI' || category === 'GE')
    set('categorieEntreprise', category)
  if (o.etat_administratif === 'A' || o.etat_administratif === 'C')
    set('etatAdministratif', o.etat_administratif)
  set('dateCessation', day(o.date_cessation))
  set('dateCreation', day(o.date_creation))
  const activity = o.activite_principale
  if (isObj(activity) && text(activity.code) && text(activity.libelle))
    set('activite', { code: text(activity.code)!, libelle: text(activity.libelle)! })
  const rna = text(o.rna)
  if (rna && RNA.test(rna)) {
    set('rna', rna)
    if (!facts.rnas.has(rna)) facts.rnas.set(rna, siren)
  }
  const siege = text(o.siret_siege_social)
  if (siege && /^\d{14}$/.test(siege) && siege.startsWith(siren)) set('siretSiege', siege)
  facts.companies.set(siren, f)
}

/** `YYYY-MM-DD` of a date written as Unix seconds or ISO text, if it is one. */
function day(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v))
    return new Date(v * 1000).toISOString().slice(0, 10)
  const s = text(v)
  return s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : undefined
}
