import { beforeAll, describe, expect, it } from 'vitest'
import { createAjv, createSchemaCompiler } from '../../mock/contract/json-schema.js'
import { loadContract } from '../../mock/contract/load-contract.js'
import type { Contract } from '../../mock/contract/types.js'
import { createDataGenerator } from '../../mock/data/generate-response.js'
import { realContractPath } from '../helpers/real-contract.js'
import { paramsFor } from './realism-measure.js'

interface Attributes {
  prenom_usuel: string | null
  nom_naissance: string | null
  sexe: string | null
}

describe("a legal unit's natural-person attributes (API Entreprise's `enum: [M, F]`, `nullable: true`)", () => {
  let contract: Contract
  beforeAll(async () => {
    contract = await loadContract(realContractPath())
  })

  it("are all null for a company, its sex included, and the answer passes the contract's schema", () => {
    const op = contract.operations.find((o) => o.id === 'api_entreprise_v3_insee_unites_legales')!
    const generator = createDataGenerator(contract, { seed: 1, documentBaseUrl: 'https://x.test' })
    const check = createSchemaCompiler(createAjv(contract.openapi))(op.responses['200']!.schema!)
    const seen = { company: 0, person: 0 }
    for (let i = 0; i < 40; i++) {
      const body = generator.generateBody(op, paramsFor(op, i)) as {
        data: { personne_physique_attributs: Attributes }
      }
      expect(check(body), JSON.stringify(body)).toBe(true)
      const a = body.data.personne_physique_attributs
      if (a.nom_naissance === null) {
        seen.company++
        expect(a.sexe, JSON.stringify(a)).toBeNull()
      } else {
        seen.person++
        expect(['M', 'F']).toContain(a.sexe)
      }
    }
    expect(seen.company).toBeGreaterThan(10)
    expect(seen.person).toBeGreaterThan(0)
  })

  it('admits null beside an enum without it only under OpenAPI 3.0 `nullable`', () => {
    const v30 = createSchemaCompiler(createAjv('3.0.3'))
    expect(v30({ type: 'string', nullable: true, enum: ['M', 'F'] })(null)).toBe(true)
    expect(v30({ type: 'string', enum: ['M', 'F'] })(null)).toBe(false)
    const v31 = createSchemaCompiler(createAjv('3.1.0'))
    expect(v31({ type: ['string', 'null'], enum: ['M', 'F'] })(null)).toBe(false)
  })
})
