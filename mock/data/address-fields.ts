/** Values of address fields, all read from one address so that street, postcode and commune agree. */
import { cityLine, postalLines, streetLine, streetName } from './address.js'
import type { FieldRequest } from './generation-types.js'
import type { Subject } from './subject.js'

const IN_ADDRESS = /adress|address|acheminement|domicile|localisation/

/** Suggestions for an address field, or `undefined` when the key is not one. */
export function addressFields(req: FieldRequest, s: Subject): readonly unknown[] | undefined {
  const k = req.key.toLowerCase()
  const p = req.parentKey.toLowerCase()
  const inAddress = IN_ADDRESS.test(p)
  // `adresse_siege` is the head office's even inside an establishment.
  const a = s.entity && /siege/.test(p) ? s.company.address : s.address
  switch (k) {
    case 'numero_voie':
    case 'numero_de_voie':
      return [a.numeroVoie]
    case 'numero':
      return inAddress ? [a.numeroVoie.padStart(exampleLength(req), '0')] : undefined
    case 'indice_repetition_voie':
    case 'indice_repetition':
      return [a.indiceRepetition]
    case 'type_voie':
    case 'code_type_voie':
      return [a.typeVoie, a.typeVoieCode]
    case 'type':
      return inAddress ? [a.typeVoie, a.typeVoieCode] : undefined
    case 'libelle_voie':
    case 'nom_voie':
      return [a.libelleVoie]
    case 'voie':
      return typeof req.node.example === 'string' && /^\d/.test(req.node.example)
        ? [streetLine(a)]
        : [streetName(a)]
    case 'rue':
    case 'nom_postal':
    case 'ligne_1':
    case 'adresse_ligne_1':
    case 'street':
    case 'street_address':
      return [streetLine(a)]
    case 'complement_adresse':
    case 'ligne_2':
      return [a.complement, '']
    case 'complement':
      return inAddress ? [a.complement, ''] : undefined
    case 'code_postal':
    case 'postal_code':
    case 'zip':
    case 'zip_code':
    case 'postcode':
      return [a.codePostal]
    case 'commune':
    case 'libelle_commune':
    case 'nom_commune':
    case 'ville':
    case 'localite':
    case 'city':
    case 'bureau_distributeur':
    case 'commune_residence':
      return [a.commune]
    case 'code_commune':
    case 'code_commune_insee':
    case 'code_insee_commune':
      return [a.codeCommune]
    case 'code_insee':
      return inAddress ? [a.codeCommune] : undefined
    case 'departement':
    case 'code_departement':
      return [a.departement.code]
    case 'libelle_departement':
    case 'nom_departement':
      return [a.departement.nom]
    case 'pays':
    case 'libelle_pays':
    case 'country':
    case 'pays_residence':
      return [a.pays]
    case 'code_pays':
    case 'country_code':
      return [a.codePays]
    case 'libelle_commune_etranger':
    case 'code_pays_etranger':
    case 'libelle_pays_etranger':
    case 'distribution_speciale':
    case 'code_cedex':
    case 'libelle_cedex':
    case 'distribution':
    case 'lieu_dit_hameau':
      return [null]
    case 'adresse':
    case 'address':
    case 'adresse_complete':
      return [`${streetLine(a)}, ${cityLine(a)}`]
    default: {
      const line = /^l([1-7])$/.exec(k)
      if (!line || p !== 'acheminement_postal') return undefined
      const name =
        s.level === 'unit'
          ? s.company.denomination
          : (s.establishment.enseigne ?? s.company.denomination)
      return [postalLines(a, name)[Number(line[1]) - 1] ?? null]
    }
  }
}

const exampleLength = (req: FieldRequest): number =>
  typeof req.node.example === 'string' && /^0\d+$/.test(req.node.example)
    ? req.node.example.length
    : 0
