import { describe, expect, it } from 'vitest'
import type { JsonSchema } from '../../mock/contract/types.js'
import { companyFor, establishmentFor } from '../../mock/data/company.js'
import {
  createGenerationContext,
  generateFromSchema,
} from '../../mock/data/generate-from-schema.js'
import { isValidSiren, isValidSiret } from '../../mock/data/identifiers.js'
import { createSeededFaker } from '../../mock/data/seeded.js'
import { at, createValidator, errorsOf } from './helpers.js'

const random = createSeededFaker()
const validate = createValidator('3.0')

/** Generates `schema` with `runs` seeds, checks each value with ajv, returns the values. */
function generateValid(schema: JsonSchema, runs = 25): unknown[] {
  const check = validate(schema)
  return Array.from({ length: runs }, (_, run) => {
    const value = generateFromSchema(
      schema,
      createGenerationContext({ faker: random.forKey(run, 'hints'), seed: run }),
    )
    if (!check(value)) throw new Error(`${JSON.stringify(value)}\n${errorsOf(check)}`)
    return value
  })
}

describe('field heuristics', () => {
  it('picks values from the property name: email, phone, dates, amounts, years, person and address', () => {
    const schema = {
      type: 'object',
      properties: {
        email: { type: 'string' },
        telephone: { type: 'string', example: '0123456789' },
        date_debut: { type: 'string', format: 'date' },
        montant: { type: 'number' },
        annee: { type: 'integer' },
        prenom: { type: 'string' },
        nom: { type: 'string' },
        adresse: {
          type: 'object',
          properties: {
            code_postal: { type: 'string' },
            commune: { type: 'string' },
            code_commune: { type: 'string' },
          },
        },
        siren: { type: 'string' },
        titre: { type: 'string', example: 'Attestation de vigilance' },
      },
    }
    for (const v of generateValid(schema)) {
      expect(at(v, 'email')).toMatch(/^[a-z0-9.-]+@[a-z0-9.-]+\.[a-z]+$/)
      expect(at(v, 'telephone')).toMatch(/^0\d{9}$/)
      expect(at(v, 'annee')).toBeGreaterThan(2015)
      expect(at(v, 'annee')).toBeLessThan(2026)
      expect(typeof at(v, 'montant')).toBe('number')
      const postcode = at(v, 'adresse.code_postal') as string
      expect(postcode).toMatch(/^\d{5}$/)
      // Postcode and INSEE code share their département (Corsica: 20xxx ↔ 2A/2B).
      expect((at(v, 'adresse.code_commune') as string).slice(0, 2)).toBe(
        postcode.startsWith('20') ? '2A' : postcode.slice(0, 2),
      )
      expect(isValidSiren(at(v, 'siren') as string)).toBe(true)
      expect(at(v, 'titre')).toBe('Attestation de vigilance')
    }
  })

  it("fills the fields of the request's company and establishment from the coherent model", () => {
    const company = companyFor('418166096', 7)
    const establishment = establishmentFor('41816609600051', 7)
    const schema = {
      type: 'object',
      properties: {
        siret: { type: 'string' },
        adresse: {
          type: 'object',
          properties: { code_postal: { type: 'string' }, libelle_voie: { type: 'string' } },
        },
        unite_legale: {
          type: 'object',
          properties: {
            siren: { type: 'string' },
            raison_sociale: { type: 'string' },
            forme_juridique: {
              type: 'object',
              properties: { code: { type: 'string' }, libelle: { type: 'string' } },
            },
            siret_siege_social: { type: 'string' },
          },
        },
      },
    }
    const ctx = createGenerationContext({
      faker: random.forKey(7, 'entity'),
      seed: 7,
      entity: { kind: 'siret', company, establishment },
    })
    const v = generateFromSchema(schema, ctx)
    expect(at(v, 'siret')).toBe('41816609600051')
    expect(isValidSiret(at(v, 'unite_legale.siret_siege_social') as string)).toBe(true)
    expect(at(v, 'adresse.code_postal')).toBe(establishment.address.codePostal)
    expect(at(v, 'unite_legale')).toEqual({
      siren: '418166096',
      raison_sociale: company.denomination,
      forme_juridique: {
        code: company.formeJuridique.code,
        libelle: company.formeJuridique.libelle,
      },
      siret_siege_social: company.siretSiege,
    })
  })
})

describe('field heuristics yield to constraints', () => {
  it('drops a heuristic value that an enum, a format or a length forbids', () => {
    const schema = {
      type: 'object',
      required: ['siren', 'email', 'code_postal', 'date_creation'],
      properties: {
        siren: { type: 'string', enum: ['A', 'B'] },
        email: { type: 'string', format: 'uuid' },
        code_postal: { type: 'integer', minimum: 1, maximum: 3 },
        date_creation: { type: 'string', maxLength: 4 },
      },
    }
    for (const v of generateValid(schema)) {
      expect(['A', 'B']).toContain(at(v, 'siren'))
      expect(at(v, 'email')).toMatch(/^[0-9a-f-]{36}$/)
    }
  })

  it('writes dates the way the example writes them', () => {
    const schema = {
      type: 'object',
      properties: {
        date_naissance: { type: 'string', example: '07-1985' },
        date_arrete_exercice: { type: 'string', example: '202012' },
        date_maj: { type: 'integer', example: 1618396818 },
        date_commission: { type: 'string', format: 'date-time' },
      },
    }
    for (const v of generateValid(schema)) {
      expect(at(v, 'date_naissance')).toMatch(/^(0[1-9]|1[0-2])-\d{4}$/)
      expect(at(v, 'date_arrete_exercice')).toMatch(/^\d{4}(0[1-9]|1[0-2])$/)
      expect(at(v, 'date_maj')).toBeGreaterThan(1_000_000_000)
      expect(at(v, 'date_commission')).toMatch(/T\d{2}:\d{2}:\d{2}\.000Z$/)
    }
  })
})

describe('dates that bound a period', () => {
  it('puts every start of validity before its end, whatever the identifier', async () => {
    const { createDataGenerator } = await import('../../mock/data/generate-response.js')
    const { loadContract } = await import('../../mock/contract/load-contract.js')
    const { DEFAULTS } = await import('../../mock/options.js')
    const { luhnComplete } = await import('../../mock/data/identifiers.js')
    const contract = await loadContract(DEFAULTS.contract)
    const op = contract.operations.find(
      (o) => o.id === 'api_entreprise_v4_acoss_attestations_sociales',
    )!
    const generator = createDataGenerator(contract, {
      seed: 1,
      documentBaseUrl: 'http://sandbox.test',
    })
    for (let n = 0; n < 30; n++) {
      const siren = luhnComplete(String(20_000_000 + n * 331))
      const data = (generator.generateBody(op, { siren }) as { data: Record<string, string> }).data
      expect(
        data.date_debut_validite! < data.date_fin_validite!,
        `${siren}: ${data.date_debut_validite} / ${data.date_fin_validite}`,
      ).toBe(true)
    }
  })
})
