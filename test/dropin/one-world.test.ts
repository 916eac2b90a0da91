/**
 * One fictitious world: what a fixture case says about a legal unit holds in every generated answer
 * about it, what the generator decides about a unit holds in every operation, and the identifier
 * asked (SIREN, RNA) is the identifier answered. The corpus is written by the test in staging's format.
 */
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { createDataGenerator } from '../../mock/data/generate-response.js'
import { luhnComplete } from '../../mock/data/identifiers.js'
import { deriveSeed } from '../../mock/data/seeded.js'
import { realContractPath } from '../helpers/real-contract.js'
import { tempFiles } from '../helpers/temp-files.js'

const TRACE = { context: 'staging', recipient: '13002526500013', object: 'one-world' }
const UNITS = 'api_entreprise_v3_insee_unites_legales'
const SOLE = '478464803'
const SOLE_SIEGE = '47846480300319'
const ASSOCIATION = '775672272'
const ASSOCIATION_RNA = 'W751004076'

const caseFile = (params: Record<string, string>, payload: unknown): string =>
  [
    '---',
    "title: 'written by the test'",
    'example: true',
    'params:',
    ...Object.entries(params).map(([k, v]) => `  ${k}: '${v}'`),
    'status: 200',
    'payload: |-',
    ...JSON.stringify(payload, null, 2)
      .split('\n')
      .map((l) => `  ${l}`),
    '',
  ].join('\n')

const unit = (siren: string, fields: Record<string, unknown>): unknown => ({
  data: {
    siren,
    rna: null,
    siret_siege_social: `${siren}00019`,
    categorie_entreprise: null,
    type: 'personne_morale',
    personne_morale_attributs: { raison_sociale: null, sigle: null },
    personne_physique_attributs: null,
    etat_administratif: 'A',
    date_cessation: null,
    ...fields,
  },
  links: {},
  meta: {},
})

const corpus = (): Record<string, string> => ({
  [`${UNITS}/personne_physique.yaml`]: caseFile(
    { siren: SOLE },
    unit(SOLE, {
      siret_siege_social: SOLE_SIEGE,
      type: 'personne_physique',
      personne_physique_attributs: {
        pseudonyme: null,
        prenom_usuel: 'MAXIME',
        prenom_1: 'MAXIME',
        prenom_2: 'LAURENT',
        prenom_3: null,
        prenom_4: null,
        nom_usage: null,
        nom_naissance: 'DUPONT',
        sexe: 'M',
      },
      forme_juridique: { code: '1000', libelle: 'Entrepreneur individuel' },
      activite_principale: {
        code: '74.10Z',
        nomenclature: 'NAFRev2',
        libelle: 'Activités spécialisées de design',
      },
    }),
  ),
  [`${UNITS}/association.yaml`]: caseFile(
    { siren: ASSOCIATION },
    unit(ASSOCIATION, {
      rna: ASSOCIATION_RNA,
      categorie_entreprise: 'GE',
      personne_morale_attributs: { raison_sociale: 'CROIX ROUGE FRANCAISE', sigle: 'CRF' },
      forme_juridique: {
        code: '9230',
        libelle: "Association déclarée, reconnue d'utilité publique",
      },
    }),
  ),
})

interface Officer {
  type: string
  fonction: string
  nom: string
  prenom: string
}

describe('one fictitious world', () => {
  let sandbox: Sandbox
  const dir = tempFiles(corpus())
  const get = (path: string): request.Test => request(sandbox.app).get(path).query(TRACE)
  beforeAll(async () => {
    sandbox = await createSandbox({
      contract: realContractPath(),
      fixtures: dir,
      state: 'memory',
      auth: false,
      rateLimits: 'off',
      demoClient: false,
      log: () => {},
    })
  })
  afterAll(() => sandbox.close())

  it("a case's individual entrepreneur is the only officer of every generated answer", async () => {
    const officers = await get(`/v3/infogreffe/rcs/unites_legales/${SOLE}/mandataires_sociaux`)
    expect(officers.status).toBe(200)
    const list = (officers.body as { data: { data: Officer }[] }).data.map((d) => d.data)
    expect(list).toHaveLength(1)
    expect(list[0]!.type).toBe('personne_physique')
    expect(list[0]!.nom.toUpperCase()).toBe('DUPONT')
    expect(list[0]!.prenom.toUpperCase()).toBe('MAXIME')
    expect(list[0]!.fonction).not.toMatch(/pr[ée]sident/i)
    const kbis = await get(`/v3/infogreffe/rcs/unites_legales/${SOLE}/extrait_kbis`)
    expect(kbis.status).toBe(200)
    for (const m of kbis.body.data.mandataires_sociaux as Officer[]) {
      expect(m.nom.toUpperCase()).toBe('DUPONT')
      expect(m.fonction).not.toMatch(/pr[ée]sident/i)
    }
  })

  it("a case's legal form, kind and head office hold in the generated establishment", async () => {
    const res = await get(`/v3/insee/sirene/etablissements/${SOLE_SIEGE}`)
    expect(res.status).toBe(200)
    const u = res.body.data.unite_legale
    expect(u.siren).toBe(SOLE)
    expect(u.type).toBe('personne_physique')
    expect(u.forme_juridique.code).toBe('1000')
    expect(u.personne_physique_attributs.nom_naissance.toUpperCase()).toBe('DUPONT')
    expect(u.siret_siege_social).toBe(SOLE_SIEGE)
    expect(res.body.data.siege_social).toBe(true)
  })

  it("an association asked by its RNA answers that RNA, and the case's SIREN", async () => {
    const res = await get(`/v4/djepva/api-association/associations/${ASSOCIATION_RNA}`)
    expect(res.status).toBe(200)
    expect(res.body.data.rna).toBe(ASSOCIATION_RNA)
    expect(res.body.data.siren).toBe(ASSOCIATION)
    expect(res.body.data.nom).toBe('CROIX ROUGE FRANCAISE')
  })

  it('an RNA no case names answers that RNA, with one SIREN across operations', async () => {
    const rna = 'W123456789'
    const v4 = await get(`/v4/djepva/api-association/associations/${rna}`)
    const v3 = await get(`/v3/ministere_interieur/rna/associations/${rna}`)
    expect(v4.status).toBe(200)
    expect(v3.status).toBe(200)
    expect(v4.body.data.rna).toBe(rna)
    expect(v3.body.data.rna_id).toBe(rna)
    const siren = v4.body.data.siren as string
    expect(v3.body.data.siret.slice(0, 9)).toBe(siren)
    const unitRes = await get(`/v3/insee/sirene/unites_legales/${siren}`)
    expect(unitRes.body.data.rna).toBe(rna)
    expect(unitRes.body.data.forme_juridique.code).toMatch(/^92/)
  })
})

describe("the generator's own decisions hold in every operation", () => {
  it("a drawn individual entrepreneur's officers are that person; a ceased unit is ceased everywhere", async () => {
    const { loadContract } = await import('../../mock/contract/load-contract.js')
    const contract = await loadContract(realContractPath())
    const g = createDataGenerator(contract, { seed: 1, documentBaseUrl: 'https://sandbox.test' })
    const op = (id: string) => contract.operations.find((o) => o.id === id)!
    let sole = 0
    let ceased = 0
    for (let i = 0; i < 200 && (sole < 3 || ceased < 3); i++) {
      const siren = luhnComplete(
        String(10_000_000 + (deriveSeed(5, 'world', String(i)) % 89_999_999)),
      )
      const u = (
        g.generateBody(op('api_entreprise_v3_insee_unites_legales'), { siren }) as {
          data: {
            type: string
            etat_administratif: string
            date_cessation: unknown
            personne_physique_attributs: { nom_naissance: string }
          }
        }
      ).data
      if (u.type === 'personne_physique') {
        sole++
        const officers = (
          g.generateBody(op('api_entreprise_v3_infogreffe_mandataires_sociaux'), { siren }) as {
            data: { data: Officer }[]
          }
        ).data
        expect(officers).toHaveLength(1)
        expect(officers[0]!.data.nom.toUpperCase()).toBe(
          u.personne_physique_attributs.nom_naissance.toUpperCase(),
        )
      }
      if (u.etat_administratif === 'C') {
        ceased++
        expect(u.date_cessation).not.toBeNull()
        const kbis = (
          g.generateBody(op('api_entreprise_v3_infogreffe_extraits_rcs'), { siren }) as {
            data: { date_radiation: unknown }
          }
        ).data
        expect(kbis.date_radiation).not.toBeNull()
      }
    }
    expect(sole).toBeGreaterThanOrEqual(3)
    expect(ceased).toBeGreaterThanOrEqual(3)
  })
})
