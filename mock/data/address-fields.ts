/** Values of address fields, all read from one address so that street, postcode and commune agree. */
import { cityLine, postalLines, streetLine, streetName, type Address } from './address.js'
import type { FieldRequest } from './generation-types.js'
import type { Subject } from './subject.js'

const IN_ADDRESS = /adress|address|acheminement|domicile|localisation/

type Rule = (a: Address, req: FieldRequest, inAddress: boolean) => readonly unknown[] | undefined

const rule = (keys: string[], fn: Rule): [string, Rule][] => keys.map((k) => [k, fn])

/** Address fields by key: a table, so a field that is not one costs a single lookup. */
const RULES = new Map<string, Rule>([
  ...rule(['numero_voie', 'numero_de_voie'], (a) => [a.numeroVoie]),
  ...rule(['numero'], (a, req, inAddress) =>
    inAddress ? [a.numeroVoie.padStart(exampleLength(req), '0')] : undefined,
  ),
  ...rule(['indice_repetition_voie', 'indice_repetition'], (a) => [a.indiceRepetition]),
  ...rule(['type_voie', 'code_type_voie'], (a) => [a.typeVoie, a.typeVoieCode]),
  ...rule(['type'], (a, _req, inAddress) => (inAddress ? [a.typeVoie, a.typeVoieCode] : undefined)),
  ...rule(['libelle_voie', 'nom_voie'], (a) => [a.libelleVoie]),
  // `voie` holds the number when the example does ('42 RUE DE L'INNOVATION').
  ...rule(['voie'], (a, req) =>
    typeof req.node.example === 'string' && /^\d/.test(req.node.example)
      ? [streetLine(a)]
      : [streetName(a)],
  ),
  ...rule(['rue', 'nom_postal', 'ligne_1', 'adresse_ligne_1', 'street', 'street_address'], (a) => [
    streetLine(a),
  ]),
  ...rule(['complement_adresse', 'ligne_2'], (a) => [a.complement, '']),
  ...rule(['complement'], (a, _req, inAddress) => (inAddress ? [a.complement, ''] : undefined)),
  ...rule(['code_postal', 'postal_code', 'zip', 'zip_code', 'postcode'], (a) => [a.codePostal]),
  ...rule(
    [
      'commune',
      'libelle_commune',
      'nom_commune',
      'ville',
      'localite',
      'city',
      'bureau_distributeur',
      'commune_residence',
    ],
    (a) => [a.commune],
  ),
  ...rule(['code_commune', 'code_commune_insee', 'code_insee_commune'], (a) => [a.codeCommune]),
  ...rule(['code_insee'], (a, _req, inAddress) => (inAddress ? [a.codeCommune] : undefined)),
  ...rule(['departement', 'code_departement'], (a) => [a.departement.code]),
  ...rule(['libelle_departement', 'nom_departement'], (a) => [a.departement.nom]),
  ...rule(['pays', 'libelle_pays', 'country', 'pays_residence'], (a) => [a.pays]),
  ...rule(['code_pays', 'country_code'], (a) => [a.codePays]),
  // A French address has none of these.
  ...rule(
    [
      'libelle_commune_etranger',
      'code_pays_etranger',
      'libelle_pays_etranger',
      'distribution_speciale',
      'code_cedex',
      'libelle_cedex',
      'distribution',
      'lieu_dit_hameau',
    ],
    () => [null],
  ),
  ...rule(['adresse', 'address', 'adresse_complete'], (a) => [`${streetLine(a)}, ${cityLine(a)}`]),
])

/** Suggestions for an address field, or `undefined` when the key is not one. */
export function addressFields(req: FieldRequest, s: Subject): readonly unknown[] | undefined {
  const k = req.key.toLowerCase()
  const p = req.parentKey.toLowerCase()
  // `adresse_siege` is the head office's even inside an establishment.
  const a = s.entity && /siege/.test(p) ? s.company.address : s.address
  const found = RULES.get(k)
  if (found) return found(a, req, IN_ADDRESS.test(p))
  // Lines of `acheminement_postal`, the AFNOR postal block.
  const line = /^l([1-7])$/.exec(k)
  if (!line || p !== 'acheminement_postal') return undefined
  const name =
    s.level === 'unit'
      ? s.company.denomination
      : (s.establishment.enseigne ?? s.company.denomination)
  return [postalLines(a, name)[Number(line[1]) - 1] ?? null]
}

const exampleLength = (req: FieldRequest): number =>
  typeof req.node.example === 'string' && /^0\d+$/.test(req.node.example)
    ? req.node.example.length
    : 0
