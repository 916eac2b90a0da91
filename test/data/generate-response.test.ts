import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Contract, JsonSchema } from '../../mock/contract/types.js'
import { companyFor } from '../../mock/data/company.js'
import { parseDocumentPath } from '../../mock/data/documents.js'
import { createDataGenerator, findIdentifier } from '../../mock/data/generate-response.js'
import { at, operation } from './helpers.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** An API-Entreprise-shaped body: entity fields, an address, people, dates, amounts, a list. */
const UNIT_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    data: {
      type: 'object',
      properties: {
        siren: { type: 'string' },
        siret_siege_social: { type: 'string' },
        personne_morale_attributs: {
          type: 'object',
          properties: { raison_sociale: { type: 'string', nullable: true } },
        },
        forme_juridique: {
          type: 'object',
          properties: { code: { type: 'string' }, libelle: { type: 'string' } },
        },
        adresse: {
          type: 'object',
          properties: {
            numero_voie: { type: 'string' },
            code_postal: { type: 'string' },
            libelle_commune: { type: 'string' },
          },
        },
        date_creation: { type: 'integer' },
        chiffre_affaires: { type: 'number' },
        dirigeants: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              nom: { type: 'string' },
              prenom: { type: 'string' },
              date_naissance: { type: 'string', format: 'date' },
            },
          },
        },
        reference: { type: 'string', example: 'REF-2023-0042' },
        id: { type: 'string', format: 'uuid' },
      },
    },
    meta: { type: 'object', properties: { count: { type: 'integer' } } },
  },
}
const DOC_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    data: {
      type: 'object',
      properties: {
        document_url: { type: 'string' },
        expires_in: { type: 'integer', example: 7889238 },
      },
    },
  },
}
const EFFECTIFS_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    data: { type: 'object', properties: { annee: { type: 'string' }, mois: { type: 'string' } } },
  },
}

const unitOp = operation('test_unites_legales', UNIT_SCHEMA, ['siren'])
const contract: Contract = {
  file: 'inline',
  title: 'test',
  version: '1',
  openapi: '3.0.3',
  operations: [unitOp],
  document: {},
  scopeMarks: { present: false, names: [] },
}
const sha = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex')

describe('createDataGenerator: determinism', () => {
  it('gives byte-identical bodies for the same seed and identifier, across two generator instances', () => {
    const a = createDataGenerator(contract, { seed: 7, documentBaseUrl: 'http://sandbox.test' })
    const b = createDataGenerator(contract, { seed: 7, documentBaseUrl: 'http://sandbox.test' })
    const first = JSON.stringify(a.generateBody(unitOp, { siren: '418166096' }))
    // Other requests in between must not shift anything.
    a.generateBody(unitOp, { siren: '552100554' })
    expect(JSON.stringify(a.generateBody(unitOp, { siren: '418166096' }))).toBe(first)
    expect(JSON.stringify(b.generateBody(unitOp, { siren: '418166096' }))).toBe(first)
  })

  it('gives another body for another seed, and for another identifier', () => {
    const seven = createDataGenerator(contract, { seed: 7, documentBaseUrl: '' })
    const eight = createDataGenerator(contract, { seed: 8, documentBaseUrl: '' })
    const body = JSON.stringify(seven.generateBody(unitOp, { siren: '418166096' }))
    expect(JSON.stringify(eight.generateBody(unitOp, { siren: '418166096' }))).not.toBe(body)
    expect(JSON.stringify(seven.generateBody(unitOp, { siren: '552100554' }))).not.toBe(body)
  })

  it('gives the same bytes in another Node.js process (compiled build in dist/)', () => {
    const compiled = join(ROOT, 'dist/mock/data/generate-response.js')
    ensureFreshBuild(compiled)
    const script = `
      import { createHash } from 'node:crypto'
      import { createDataGenerator } from ${JSON.stringify(compiled)}
      const op = JSON.parse(process.argv[1])
      const generator = createDataGenerator({ operations: [op] }, { seed: 7, documentBaseUrl: 'http://sandbox.test' })
      const hashes = ['418166096', '552100554', '000000000'].map((siren) =>
        createHash('sha256').update(JSON.stringify(generator.generateBody(op, { siren }))).digest('hex'))
      process.stdout.write(hashes.join(','))`
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', script, JSON.stringify(unitOp)],
      {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'Pacific/Kiritimati', LANG: 'ja_JP.UTF-8' },
      },
    )
    const here = createDataGenerator(contract, { seed: 7, documentBaseUrl: 'http://sandbox.test' })
    const expected = ['418166096', '552100554', '000000000'].map((siren) =>
      sha(here.generateBody(unitOp, { siren })),
    )
    expect(out).toBe(expected.join(','))
  })
})

describe("createDataGenerator: the request's company", () => {
  const generator = createDataGenerator(contract, {
    seed: 3,
    documentBaseUrl: 'http://sandbox.test/',
  })

  it('fills the body with the company of the SIREN asked for', () => {
    const body = generator.generateBody(unitOp, { siren: '418166096' })
    const company = companyFor('418166096', 3)
    expect(at(body, 'data.siren')).toBe('418166096')
    expect(at(body, 'data.siret_siege_social')).toBe(company.siretSiege)
    expect(at(body, 'data.forme_juridique')).toEqual({
      code: company.formeJuridique.code,
      libelle: company.formeJuridique.libelle,
    })
    expect(at(body, 'data.adresse.code_postal')).toBe(company.address.codePostal)
    expect(at(body, 'data.date_creation')).toBe(Date.parse(company.dateCreation) / 1000)
    expect(at(body, 'data.reference')).toMatch(/^REF-\d{4}-\d{4}$/)
  })

  it('finds the identifier in any parameter named after a SIREN or a SIRET, when its value is valid', () => {
    expect(findIdentifier({ siren_or_rna: 'W751212517' })).toBeUndefined()
    expect(findIdentifier({ siren_or_rna: '418166096' })).toEqual({
      param: 'siren_or_rna',
      value: '418166096',
      kind: 'siren',
    })
    expect(findIdentifier({ siret_or_eori: '41816609600051' })?.kind).toBe('siret')
    expect(findIdentifier({ siren: '418166097' })).toBeUndefined()
    expect(findIdentifier({ recipient: '13002526500013' })).toBeUndefined()
    expect(
      findIdentifier({ siren_or_siret_or_rna: '41816609600051', siren: '552100554' })?.value,
    ).toBe('552100554')
  })

  it('counts the items of the list it generated in meta.count', () => {
    const countOp = operation(
      'test_list',
      {
        type: 'object',
        properties: {
          data: {
            type: 'array',
            items: { type: 'object', properties: { siret: { type: 'string' } } },
          },
          meta: { type: 'object', properties: { count: { type: 'integer' } } },
        },
      },
      ['siren'],
    )
    for (const siren of ['418166096', '552100554', '732829320']) {
      const body = generator.generateBody(countOp, { siren }) as {
        data: unknown[]
        meta: { count: number }
      }
      expect(body.meta.count).toBe(body.data.length)
    }
  })

  it('answers undefined for an operation without a response schema', () => {
    expect(generator.generateBody(operation('test_privileges', undefined), {})).toBeUndefined()
  })
})

describe('createDataGenerator: request-bound fields', () => {
  const generator = createDataGenerator(contract, {
    seed: 3,
    documentBaseUrl: 'http://sandbox.test/',
  })

  it('points document_url at the sandbox document route and gives expires_in a plausible lifetime', () => {
    const op = operation('api_entreprise_v4_dgfip_attestations_fiscales', DOC_SCHEMA, ['siren'])
    const body = generator.generateBody(op, { siren: '418166096' }) as {
      data: { document_url: string; expires_in: number }
    }
    const url = new URL(body.data.document_url)
    expect(url.origin).toBe('http://sandbox.test')
    expect(parseDocumentPath(url.pathname)).toEqual({ opId: op.id, identifier: '418166096' })
    expect(body.data.expires_in).toBe(7889238)
  })

  it('repeats the year and the month asked for in annee and mois', () => {
    const op = operation('effectifs', EFFECTIFS_SCHEMA, ['siret', 'month', 'year'])
    const body = generator.generateBody(op, { siret: '41816609600051', month: '03', year: '2022' })
    expect(body).toEqual({ data: { annee: '2022', mois: '03' } })
  })
})

/** Rebuilds dist/ when it is missing or older than the sources (npm test builds first anyway). */
function ensureFreshBuild(compiled: string): void {
  const sources = join(ROOT, 'mock/data')
  const newest = Math.max(...readdirSync(sources).map((f) => statSync(join(sources, f)).mtimeMs))
  if (existsSync(compiled) && statSync(compiled).mtimeMs >= newest) return
  try {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: ROOT,
        stdio: 'pipe',
      },
    )
  } catch {
    // Type errors elsewhere in the tree do not stop tsc from emitting; the check below decides.
  }
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run npm run build`)
}

describe("the response's own example", () => {
  const schema: JsonSchema = {
    type: 'object',
    required: ['region', 'size_slug', 'tags'],
    properties: {
      region: { type: 'string' },
      size_slug: { type: 'string', maxLength: 12 },
      tags: { type: 'array', items: { type: 'string' } },
      count: { type: 'integer' },
    },
  }
  const withExamples = (examples: unknown[]): Contract => {
    const op = operation('droplet', schema, ['id'])
    op.responses['200']!.examples = examples.map((value, i) => ({ name: `e${i}`, value }))
    return {
      file: 'x',
      title: 'Droplets',
      version: '1',
      openapi: '3.0.3',
      operations: [op],
      document: {},
      scopeMarks: { present: false, names: [] },
    }
  }

  it('gives each field without an example of its own the value the example shows there', () => {
    const c = withExamples([{ region: 'nyc3', size_slug: 's-1vcpu-1gb', tags: ['web'], count: 2 }])
    const g = createDataGenerator(c, {
      seed: 1,
      documentBaseUrl: 'http://sandbox.test',
      locale: 'en',
    })
    const body = g.generateBody(c.operations[0]!, { id: '42' }) as Record<string, unknown>
    expect(body.region).toBe('nyc3')
    expect(body.size_slug).toBe('s-1vcpu-1gb')
    expect((body.tags as unknown[]).every((t) => t === 'web')).toBe(true)
  })

  it('ignores an example its schema refuses', () => {
    const invalid = withExamples([{ region: 'nyc3', size_slug: 's-1vcpu-1gb', tags: 'web' }])
    const g = createDataGenerator(invalid, {
      seed: 1,
      documentBaseUrl: 'http://sandbox.test',
      locale: 'en',
    })
    const body = g.generateBody(invalid.operations[0]!, { id: '42' }) as Record<string, unknown>
    expect(body.region).not.toBe('nyc3')
  })
})
