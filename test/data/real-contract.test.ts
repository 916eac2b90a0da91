/**
 * Acceptance: on the real API Entreprise contract, every GET operation's generated 200 body
 * validates against the operation's own 200 schema, for 20 identifiers each.
 */
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadContract } from '../../mock/contract/load-contract.js'
import type { Contract } from '../../mock/contract/types.js'
import { createDataGenerator } from '../../mock/data/generate-response.js'
import { at, createValidator, errorsOf } from './helpers.js'
import { paramsFor } from './realism-measure.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const IDENTIFIERS_PER_OPERATION = 20

/** The real contract: `SANDBOX_REAL_CONTRACT`, else `../shared/contracts/`; a missing file fails the suite. */
function realContractPath(): string {
  const fromEnv = process.env.SANDBOX_REAL_CONTRACT
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`SANDBOX_REAL_CONTRACT=${fromEnv}: no such file`)
    return fromEnv
  }
  const sibling = resolve(ROOT, '../shared/contracts/api_entreprise.yaml')
  if (!existsSync(sibling)) {
    throw new Error(
      `The real contract is needed: set SANDBOX_REAL_CONTRACT to api_entreprise.yaml (not found at ${sibling})`,
    )
  }
  return sibling
}

describe('real contract (API Entreprise)', () => {
  let contract: Contract
  beforeAll(async () => {
    contract = await loadContract(realContractPath())
  })

  it('generates, for each of its 52 GET operations and 20 identifiers, a 200 body valid against the 200 schema', () => {
    const generator = createDataGenerator(contract, {
      seed: 2026,
      documentBaseUrl: 'https://sandbox.example.fr',
    })
    const validator = createValidator('3.0')
    const gets = contract.operations.filter((op) => op.method === 'get')
    expect(gets).toHaveLength(52)
    const failures: string[] = []
    const withoutSchema: string[] = []
    let passing = 0
    for (const op of gets) {
      const schema = op.responses['200']?.schema
      if (!schema) {
        // /privileges: its 200 declares no body; the privileges stage answers it, not the generator.
        withoutSchema.push(op.id)
        expect(generator.generateBody(op, {})).toBeUndefined()
        passing++
        continue
      }
      const validate = validator(schema)
      const bad = Array.from({ length: IDENTIFIERS_PER_OPERATION }, (_, i) =>
        paramsFor(op, i),
      ).find((params) => !validate(generator.generateBody(op, params)))
      if (bad) failures.push(`${op.id} ${JSON.stringify(bad)}:\n${errorsOf(validate)}`)
      else passing++
    }
    console.log(
      `real contract: ${passing}/${gets.length} GET operations pass (${gets.length - withoutSchema.length} validated ` +
        `with ${IDENTIFIERS_PER_OPERATION} identifiers each; without a 200 schema: ${withoutSchema.join(', ') || 'none'})`,
    )
    expect(failures).toEqual([])
    expect(passing).toBe(gets.length)
  })

  it('shows the same name, address and legal form for 418166096 in every operation that shows them', () => {
    const generator = createDataGenerator(contract, { seed: 5, documentBaseUrl: '' })
    const body = (id: string, params: Record<string, string>): unknown =>
      generator.generateBody(
        contract.operations.find((op) => op.id === id)!,
        params,
      )
    const unit = body('api_entreprise_v3_insee_unites_legales', { siren: '418166096' })
    const siege = body('api_entreprise_v3_insee_sieges_unites_legales', { siren: '418166096' })
    const establishment = body('api_entreprise_v3_insee_etablissements', {
      siret: '41816609600051',
    })
    const kbis = body('api_entreprise_v3_infogreffe_extraits_rcs', { siren: '418166096' })
    const rne = body('api_entreprise_v3_inpi_rne_extrait_rne', { siren: '418166096' })
    const name = at(unit, 'data.personne_morale_attributs.raison_sociale')
    const ul = 'data.unite_legale'
    expect(at(establishment, `${ul}.personne_morale_attributs.raison_sociale`)).toBe(name)
    expect(at(establishment, `${ul}.forme_juridique`)).toEqual(at(unit, 'data.forme_juridique'))
    expect(at(establishment, `${ul}.siret_siege_social`)).toBe(at(unit, 'data.siret_siege_social'))
    expect(at(siege, 'data.siret')).toBe(at(unit, 'data.siret_siege_social'))
    if (name !== null) expect(at(kbis, 'data.personne_morale.denomination')).toBe(name)
    expect(at(rne, 'data.identite_entreprise.forme_juridique.code')).toBe(
      at(unit, 'data.forme_juridique.code'),
    )
    expect(at(rne, 'data.identite_entreprise.adresse_siege_social.code_postal')).toBe(
      at(siege, 'data.adresse.code_postal'),
    )
    expect(at(rne, 'data.etablissements.0.siret')).toBe(at(unit, 'data.siret_siege_social'))
  })
})
