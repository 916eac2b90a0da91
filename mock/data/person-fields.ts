/** Values of person fields (names, birth, nationality, role), read from the subject's person. */
import type { FieldRequest } from './generation-types.js'
import { stripAccents, type Person } from './person.js'
import { writeDate } from './values.js'

/** Keys that only ever describe a natural person. */
export const PERSON_KEYS =
  /^(prenoms?|prenom_usuel|prenom_\d|first_?name|given_name|nom_usage|nom_naissance|nom_patronymique|last_?name|family_name|surname|nom_patronymique_et_prenoms|full_?name|pseudonyme|sexe|genre|gender|civilite|date_(de_)?naissance|date_naissance_timestamp|birth_?date|lieu_naissance|commune_naissance|ville_naissance|pays_naissance|code_pays_naissance|nationalite|code_nationalite|fonction|qualite)$/

/** A person's e-mail address: `prenom.nom@example.fr` without accents. */
export function personEmail(person: Person): string {
  const slug = (s: string): string =>
    stripAccents(s)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '')
  return `${slug(person.prenoms[0] ?? 'contact')}.${slug(person.nom)}@example.fr`
}

/**
 * Suggestions for a person field; `null` when the subject has no person (a company's
 * `personne_physique_attributs`), which the generator keeps only where the schema allows null.
 */
export function personFields(
  req: FieldRequest,
  person: Person | null,
): readonly unknown[] | undefined {
  const k = req.key.toLowerCase()
  const parent = req.parentKey.toLowerCase()
  if (parent === 'date_naissance' && (k === 'annee' || k === 'mois')) {
    if (!person) return [null]
    const [year, month] = person.dateNaissance.split('-') as [string, string]
    return k === 'annee' ? [year, Number(year)] : [month, Number(month)]
  }
  if (parent === 'naissance' && /^(date|lieu)$/.test(k)) {
    return person
      ? [k === 'date' ? writeDate(person.dateNaissance, req.node) : person.lieuNaissance]
      : [null]
  }
  if (parent === 'nationalite' && /^(valeur|libelle|code)$/.test(k)) {
    return person ? [k === 'code' ? 'FR' : person.nationalite] : [null]
  }
  if (
    !PERSON_KEYS.test(k) &&
    !/^(nom|name|e?mail|courriel|type|raison_sociale|denomination)$/.test(k)
  ) {
    return undefined
  }
  // Without a person (a company's `personne_physique` block), the company's own name still applies.
  if (!person) return /^(raison_sociale|denomination|type)$/.test(k) ? undefined : [null]
  const first = person.prenoms[0] ?? ''
  const numbered = /^prenom_(\d)$/.exec(k)
  if (numbered) return [person.prenoms[Number(numbered[1]) - 1] ?? null]
  switch (k) {
    case 'nom':
    case 'name':
    case 'nom_naissance':
    case 'nom_usage':
    case 'nom_patronymique':
    case 'lastname':
    case 'last_name':
    case 'family_name':
    case 'surname':
      return [person.nom]
    case 'prenom':
    case 'prenom_usuel':
    case 'firstname':
    case 'first_name':
    case 'given_name':
      return [first]
    case 'prenoms':
      return req.index !== undefined
        ? [person.prenoms[req.index] ?? first]
        : [person.prenoms.join(' ')]
    case 'nom_patronymique_et_prenoms':
    case 'fullname':
    case 'full_name':
      return [`${person.nom} ${person.prenoms.join(' ')}`]
    case 'pseudonyme':
      return [null]
    case 'sexe':
    case 'genre':
    case 'gender':
      return [person.sexe]
    case 'civilite':
      return civility(person, req.node.example)
    case 'date_naissance':
    case 'date_de_naissance':
    case 'birthdate':
    case 'birth_date':
      return [writeDate(person.dateNaissance, req.node)]
    case 'date_naissance_timestamp':
      return [Math.floor(new Date(person.dateNaissance).getTime() / 1000)]
    case 'lieu_naissance':
    case 'commune_naissance':
    case 'ville_naissance':
      return [person.lieuNaissance]
    case 'pays_naissance':
      return ['FRANCE']
    case 'code_pays_naissance':
    case 'code_nationalite':
      return ['FR']
    case 'nationalite':
      return [person.nationalite]
    case 'fonction':
    case 'qualite':
      return [person.fonction ?? 'Président']
    case 'email':
    case 'mail':
    case 'courriel':
      return [personEmail(person)]
    case 'type':
      return ['personne_physique']
    case 'raison_sociale':
    case 'denomination':
      return [null]
    default:
      return undefined
  }
}

function civility(person: Person, example: unknown): readonly string[] {
  const long = typeof example === 'string' && example.length > 4
  if (person.sexe === 'M') return long ? ['Monsieur', 'M'] : ['M', 'M.', 'Monsieur']
  return long ? ['Madame', 'MME'] : ['MME', 'Mme', 'Madame']
}
