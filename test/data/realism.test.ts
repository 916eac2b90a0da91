/**
 * Data that reads like production, on the real contract and on small schemas: no lorem ipsum
 * anywhere, dates in their order, codes with their own labels, statuses with their own texts,
 * nullable fields filled unless asked otherwise. The figures are printed: rerun with
 * `SANDBOX_REAL_CONTRACT=... npx vitest run test/data/realism.test.ts`.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { loadContract } from '../../mock/contract/load-contract.js'
import type { Contract, JsonSchema, Operation } from '../../mock/contract/types.js'
import { describedValues } from '../../mock/data/described-values.js'
import {
  createGenerationContext,
  generateFromSchema,
} from '../../mock/data/generate-from-schema.js'
import { createDataGenerator, type DataGenerator } from '../../mock/data/generate-response.js'
import { luhnComplete } from '../../mock/data/identifiers.js'
import { REFERENCE_DATE, createSeededFaker, deriveSeed } from '../../mock/data/seeded.js'
import { shareFlag } from '../../mock/cli/flags.js'
import { resolveOptions } from '../../mock/options.js'
import { realContractPath } from '../helpers/real-contract.js'
import { dateRole } from '../../mock/data/timeline.js'
import {
  hitsByOperation,
  loremHits,
  loremWordsIn,
  measureRealism,
  paramsFor,
} from './realism-measure.js'

const sirens = (n: number): string[] =>
  Array.from({ length: n }, (_, i) =>
    luhnComplete(String(10_000_000 + (deriveSeed(7, 'realism', String(i)) % 89_999_999))),
  )

function generate(schema: JsonSchema, seed = 1, extra: { nullRate?: number } = {}): unknown {
  const faker = createSeededFaker().forKey(seed, 'realism')
  return generateFromSchema(schema, createGenerationContext({ faker, seed, ...extra }))
}

describe('free text on small schemas', () => {
  it('a string nothing describes reads as French, never lorem ipsum', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const value = generate(
        {
          type: 'object',
          properties: {
            commentaire: { type: 'string' },
            zz: { type: 'string', minLength: 40, maxLength: 80 },
            tags: { type: 'array', items: { type: 'string' } },
            extra: { type: 'object', additionalProperties: { type: 'string' }, minProperties: 2 },
          },
        },
        seed,
      )
      expect(loremHits(value, 'schema')).toEqual([])
      const zz = (value as { zz: string }).zz
      expect(zz.length).toBeGreaterThanOrEqual(40)
      expect(zz.length).toBeLessThanOrEqual(80)
    }
  })

  it('the lorem detector finds lorem ipsum (so that a zero means something)', () => {
    expect(loremWordsIn('voluptas architecto officia')).toEqual([
      'voluptas',
      'architecto',
      'officia',
    ])
    expect(loremWordsIn('Entrepreneur individuel, Réel normal, 4245, Maxime')).toEqual([])
  })

  it("array items take after the array's own example", () => {
    const value = generate({
      type: 'array',
      minItems: 3,
      maxItems: 3,
      items: { type: 'string' },
      example: ['4245', '5672'],
    }) as string[]
    for (const item of value) expect(item).toMatch(/^\d{4}$/)
  })

  it("a code table in a description gives the code's label, a reference starts with its code", () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        code: {
          type: 'string',
          enum: ['IS', 'BIC', 'BNC'],
          description:
            'Les valeurs possibles sont les suivantes:\n - IS: Impôt sur les sociétés\n - BIC: Bénéfices industriels et commerciaux\n - BNC: Bénéfices non commerciaux',
        },
        libelle: { type: 'string', example: 'Impôt sur les sociétés' },
        reference: { type: 'string', enum: ['IS1', 'IS2', 'BIC1', 'BIC2', 'BNC1'] },
      },
    }
    const table = new Map(
      describedValues((schema.properties as Record<string, JsonSchema>).code!).pairs,
    )
    const seen = new Set<string>()
    for (let seed = 1; seed <= 40; seed++) {
      const v = generate(schema, seed) as { code: string; libelle: string; reference: string }
      seen.add(v.code)
      expect(v.libelle).toBe(table.get(v.code))
      expect(v.reference.startsWith(v.code)).toBe(true)
    }
    expect(seen.size).toBe(3)
  })

  it('parallel enums keep their positions; a status is never described as its opposite', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        code: { type: 'string', enum: ['ok', 'refus_de_delivrance'], example: 'ok' },
        libelle: { type: 'string', example: 'Attestation délivrée' },
        description: {
          type: 'string',
          example: "La délivrance a été refusée car l'entité n'est pas à jour.",
        },
        niveau: { type: 'string', enum: ['A', 'B', 'C'] },
        intitule: { type: 'string', enum: ['Niveau A', 'Niveau B', 'Niveau C'] },
      },
    }
    const codes = new Set<string>()
    for (let seed = 1; seed <= 40; seed++) {
      const v = generate(schema, seed) as Record<string, string>
      codes.add(v.code!)
      const refused = v.code === 'refus_de_delivrance'
      expect(/refus/i.test(v.libelle!), JSON.stringify(v)).toBe(refused)
      expect(/refus/i.test(v.description!), JSON.stringify(v)).toBe(refused)
    }
    expect(codes).toEqual(new Set(['ok', 'refus_de_delivrance']))
  })

  it('dates of one object keep their order and stay in the past', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        date_delivrance: { type: 'string', format: 'date' },
        date_periode_analysee: { type: 'string', format: 'date' },
        date_debut_validite: { type: 'string', format: 'date' },
        date_fin_validite: { type: 'string', format: 'date' },
        date_debut_exercice: { type: 'string', format: 'date' },
        date_fin_exercice: { type: 'string', format: 'date' },
      },
    }
    const today = REFERENCE_DATE.toISOString().slice(0, 10)
    for (let seed = 1; seed <= 40; seed++) {
      const v = generate(schema, seed) as Record<string, string>
      expect(v.date_periode_analysee! < v.date_delivrance!).toBe(true)
      expect(v.date_delivrance! <= today).toBe(true)
      expect(v.date_debut_validite).toBe(v.date_delivrance)
      expect(v.date_debut_validite! < v.date_fin_validite!).toBe(true)
      expect(v.date_debut_exercice! < v.date_fin_exercice!).toBe(true)
      expect(v.date_fin_exercice! <= today).toBe(true)
    }
  })

  it('the null rate blanks nullable fields, seeded, and only when asked', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: Object.fromEntries(
        Array.from({ length: 40 }, (_, i) => [`champ_${i}`, { type: 'string', nullable: true }]),
      ),
    }
    const nulls = (v: unknown): number =>
      Object.values(v as Record<string, unknown>).filter((x) => x === null).length
    expect(nulls(generate(schema, 3))).toBe(0)
    const blanked = generate(schema, 3, { nullRate: 0.5 })
    expect(nulls(blanked)).toBeGreaterThan(8)
    expect(nulls(blanked)).toBeLessThan(32)
    expect(generate(schema, 3, { nullRate: 0.5 })).toEqual(blanked)
    expect(nulls(generate(schema, 3, { nullRate: 1 }))).toBe(40)
  })
})

describe('on the real contract (API Entreprise)', () => {
  let contract: Contract
  let generator: DataGenerator
  const op = (id: string): Operation => contract.operations.find((o) => o.id === id)!
  beforeAll(async () => {
    contract = await loadContract(realContractPath())
    generator = createDataGenerator(contract, { seed: 1, documentBaseUrl: 'https://sandbox.test' })
  })

  it('no operation answers lorem ipsum (every operation, three seeds); nullable fields filled', () => {
    const figures = measureRealism(contract, { seeds: [1, 2, 3], perOperation: 6 })
    const share = figures.fill.filled / figures.fill.nullable
    console.log(
      `realism: ${figures.hits.length} lorem hit(s) over ${figures.bodies} bodies of ${figures.operations} operations (seeds ${figures.seeds.join(', ')}); ` +
        `nullable fields filled: ${figures.fill.filled} of ${figures.fill.nullable} (${(share * 100).toFixed(1)} %) over ${figures.fillBodies} answers; ` +
        `${figures.fill.absent} null by meaning, so ${((figures.fill.filled / (figures.fill.nullable - figures.fill.absent)) * 100).toFixed(1)} % of the others filled`,
    )
    expect(hitsByOperation(figures.hits)).toEqual([])
    expect(figures.operations).toBeGreaterThan(40)
    expect(share).toBeGreaterThan(0.7)
    // Nulls where the field's meaning does not say absent are rare.
    expect(figures.fill.filled / (figures.fill.nullable - figures.fill.absent)).toBeGreaterThan(
      0.95,
    )
    const raised = measureRealism(contract, { seeds: [1], perOperation: 1, nullRate: 0.5 })
    expect(raised.fill.filled / raised.fill.nullable).toBeLessThan(share - 0.2)
  })

  it('every operation: no past event after today, no start after its end, the year asked answered', () => {
    const today = REFERENCE_DATE.toISOString().slice(0, 10)
    const faults: string[] = []
    const dayOf = (key: string, v: unknown): string | undefined => {
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10)
      if (typeof v === 'number' && /date|timestamp/.test(key) && v > 1e8 && v < 4e9)
        return new Date(v * 1000).toISOString().slice(0, 10)
      return undefined
    }
    const visit = (v: unknown, at: string, year: string | undefined): void => {
      if (Array.isArray(v)) return v.forEach((item, i) => visit(item, `${at}/${i}`, year))
      if (!v || typeof v !== 'object') return
      const days: Record<string, string> = {}
      for (const [k, child] of Object.entries(v)) {
        const day = dayOf(k, child)
        if (day) days[k] = day
        if (year && /^(annee|year)$/.test(k) && !/naissance/.test(at) && String(child) !== year)
          faults.push(`${at}/${k}: ${String(child)} for year ${year}`)
        visit(child, `${at}/${k}`, year)
      }
      for (const [k, day] of Object.entries(days)) {
        if (dateRole(k.toLowerCase()) !== 'validUntil' && day > today)
          faults.push(`${at}/${k}: ${day} after ${today}`)
        const end = days[k.replace('debut', 'fin')]
        if (/debut/.test(k) && end && end < day) faults.push(`${at}/${k}: ${day} after ${end}`)
      }
    }
    for (const o of contract.operations) {
      if (!o.responses['200']?.schema) continue
      for (let i = 0; i < 8; i++) {
        const params = paramsFor(o, i)
        visit(generator.generateBody(o, params), o.id, params.year)
      }
    }
    expect(faults).toEqual([])
  })

  it('a liasse for a year has that year: closing dates, millesime, declarations after closing', () => {
    for (const siren of sirens(10)) {
      for (const year of ['2019', '2022']) {
        const body = generator.generateBody(op('api_entreprise_v3_dgfip_liasses_fiscales'), {
          siren,
          year,
        }) as {
          data: {
            declarations: {
              date_fin_exercice: string
              date_declaration: string
              millesime: string
              duree_exercice: number
            }[]
          }
        }
        for (const d of body.data.declarations) {
          expect(d.date_fin_exercice.slice(0, 4)).toBe(year)
          expect(d.date_declaration > d.date_fin_exercice).toBe(true)
          expect(Number(d.millesime.slice(0, 4))).toBeLessThanOrEqual(Number(year))
          expect(Number(d.millesime.slice(0, 4))).toBeGreaterThanOrEqual(2006)
          expect([365, 366]).toContain(d.duree_exercice)
        }
      }
    }
  })

  it('a fiscal attestation is delivered after the period it attests, and not after today', () => {
    const today = REFERENCE_DATE.toISOString().slice(0, 10)
    for (const siren of sirens(20)) {
      const { data } = generator.generateBody(op('api_entreprise_v4_dgfip_attestations_fiscales'), {
        siren,
      }) as { data: { date_delivrance_attestation: string; date_periode_analysee: string } }
      expect(data.date_periode_analysee < data.date_delivrance_attestation).toBe(true)
      expect(data.date_delivrance_attestation <= today).toBe(true)
    }
  })

  it("an URSSAF attestation's status, label and description say the same thing", () => {
    const codes = new Set<string>()
    for (const siren of sirens(30)) {
      const { data } = generator.generateBody(op('api_entreprise_v4_acoss_attestations_sociales'), {
        siren,
      }) as { data: { entity_status: { code: string; libelle: string; description: string } } }
      const s = data.entity_status
      codes.add(s.code)
      const refused = s.code !== 'ok'
      expect(/refus|pas à jour/i.test(s.libelle), JSON.stringify(s)).toBe(refused)
      expect(/refus|pas à jour/i.test(s.description), JSON.stringify(s)).toBe(refused)
    }
    expect(codes.size).toBe(2)
  })

  it('fiscal obligations: each code with its own label and reference', () => {
    for (const siren of sirens(10)) {
      const body = generator.generateBody(op('api_entreprise_v3_dgfip_liasses_fiscales'), {
        siren,
        year: '2022',
      }) as {
        data: { obligations_fiscales: { code: string; libelle: string; reference: string }[] }
      }
      for (const o of body.data.obligations_fiscales) {
        const label: Record<string, string> = {
          IS: 'Impôt sur les sociétés',
          BIC: 'Bénéfices industriels et commerciaux',
          'IS GROUPE': 'Impôt sur les sociétés dû par le groupe',
          BA: 'Bénéfices agricoles',
          BNC: 'Bénéfices non commerciaux',
        }
        expect(o.libelle).toBe(label[o.code])
        expect(o.reference.startsWith(o.code.replace(/\s+/g, ''))).toBe(true)
      }
    }
  })
})

describe('the null rate option', () => {
  it('is a share from 0 to 1; anything else is refused with what to give', () => {
    expect(resolveOptions({}).nullRate).toBe(0)
    expect(resolveOptions({ nullRate: 0.25 }).nullRate).toBe(0.25)
    expect(() => resolveOptions({ nullRate: 2 })).toThrow(
      /nullRate must be a number from 0 to 1, got 2/,
    )
    expect(() => resolveOptions({ nullRate: Number.NaN })).toThrow(/nullRate/)
    const parse = shareFlag('--null-rate')
    expect(parse('0.2')).toBe(0.2)
    expect(() => parse('abc')).toThrow(/from 0 to 1/)
    expect(() => parse('1.5')).toThrow(/from 0 to 1/)
  })
})
