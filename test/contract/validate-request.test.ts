import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { createErrorBodies } from '../../mock/contract/error-body.js'
import { loadContract } from '../../mock/contract/load-contract.js'
import { createRequestValidator, type RequestParts } from '../../mock/contract/validate-request.js'
import { tempFiles } from '../helpers/temp-files.js'
import { MINI_CONTRACT } from './mini-contract.js'

const contract = await loadContract(join(tempFiles({ 'c.yaml': MINI_CONTRACT }), 'c.yaml'))
const validate = createRequestValidator(contract)
const errors = createErrorBodies(contract)
const op = (id: string) => contract.operations.find((o) => o.id === id)!
const traced = { context: 'Test', recipient: '13002526500013', object: 'marché 127' }
const parts = (p: Partial<RequestParts>): RequestParts => ({
  path: {},
  query: {},
  headers: {},
  ...p,
})

/** Validates and renders the answer the way the validate stage does. */
function answer(id: string, p: Partial<RequestParts>) {
  const failure = validate(op(id), parts(p))
  if (!failure) return undefined
  return errors(op(id), failure.status, failure.spec)
}

describe('request validation', () => {
  it('accepts a valid SIREN with the traceability parameters', () => {
    expect(
      answer('mini_unites_legales', { path: { siren: '418166096' }, query: traced }),
    ).toBeUndefined()
  })

  it('answers 422 00201 with the contract example when context is missing', () => {
    const a = answer('mini_unites_legales', {
      path: { siren: '418166096' },
      query: { ...traced, context: undefined },
    })
    expect(a?.status).toBe(422)
    expect(a?.body).toEqual({
      errors: [
        {
          code: '00201',
          title: 'Entité non traitable',
          detail: 'Le paramètre context est obligatoire',
          source: { parameter: 'context' },
          meta: {},
        },
      ],
    })
  })

  it('answers 422 00301 for a SIREN of 8 digits and for one with a wrong Luhn key', () => {
    expect(
      answer('mini_unites_legales', { path: { siren: '41816609' }, query: traced })?.code,
    ).toBe('00301')
    expect(
      answer('mini_unites_legales', { path: { siren: '418166097' }, query: traced })?.code,
    ).toBe('00301')
  })

  it('answers 422 00203 when recipient is not 14 digits (the contract pattern)', () => {
    const a = answer('mini_unites_legales', {
      path: { siren: '418166096' },
      query: { ...traced, recipient: '123' },
    })
    expect(a?.code).toBe('00203')
  })

  it('coerces integer path and query parameters and enforces their bounds', () => {
    const base = { path: { siren: '418166096', year: '2024' } }
    expect(answer('get_v3_effectifs_siren_annees_year', base)).toBeUndefined()
    expect(
      answer('get_v3_effectifs_siren_annees_year', { path: { siren: '418166096', year: '1999' } })
        ?.status,
    ).toBe(422)
    expect(
      answer('get_v3_effectifs_siren_annees_year', { ...base, query: { limit: '100' } })?.status,
    ).toBe(422)
    expect(
      answer('get_v3_effectifs_siren_annees_year', { ...base, query: { limit: '99' } }),
    ).toBeUndefined()
  })

  it('lets any single text through a bare string parameter, and still checks every other keyword', async () => {
    const text = (schema: string) => `
openapi: 3.0.3
info: { title: Texts, version: '1' }
paths:
  /t:
    get:
      operationId: t
      parameters: [{ name: q, in: query, schema: ${schema} }]
      responses: { '200': { description: ok } }
`
    const check = async (schema: string, q: string | string[]) => {
      const file = join(tempFiles({ 't.yaml': text(schema) }), 't.yaml')
      const c = await loadContract(file)
      return createRequestValidator(c)(c.operations[0]!, parts({ query: { q } }))?.status
    }
    const bare = '{ type: string, description: any, example: x, nullable: true, x-note: n }'
    expect(await check(bare, 'n’importe quel texte, même vide de sens')).toBeUndefined()
    expect(await check(bare, ['a', 'b'])).toBe(422)
    expect(await check('{ type: string, format: date }', 'demain')).toBe(422)
    expect(await check('{ type: string, minLength: 3 }', 'ab')).toBe(422)
    expect(await check('{ type: string, enum: [a, b] }', 'c')).toBe(422)
    expect(await check('{ type: string, enum: [a, b] }', 'a')).toBeUndefined()
  })

  it('rejects a duplicated scalar query parameter', () => {
    const a = answer('get_v3_effectifs_siren_annees_year', {
      path: { siren: '418166096', year: '2024' },
      query: { limit: ['1', '2'] },
    })
    expect(a?.status).toBe(422)
  })

  it('checks a JSON body against its schema and says where it fails', () => {
    expect(answer('post_v3_items', { body: { name: 'ok' } })).toBeUndefined()
    expect(answer('post_v3_items', {})?.status).toBe(400)
    const a = answer('post_v3_items', { body: { name: 'x' } })
    expect(a?.status).toBe(422)
    expect(JSON.stringify(a?.body)).toContain('/name')
  })

  it('falls back to the production shape with a default code when the contract has no example', () => {
    const a = answer('post_v3_items', { body: { name: 'x' } })
    expect(a?.body).toMatchObject({
      errors: [{ code: '00001', title: 'Entité non traitable', source: { parameter: 'body' } }],
    })
  })
})
