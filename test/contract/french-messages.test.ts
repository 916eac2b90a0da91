import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { loadContract } from '../../mock/contract/load-contract.js'
import { createRequestValidator, type RequestParts } from '../../mock/contract/validate-request.js'
import { tempFiles } from '../helpers/temp-files.js'

const CONTRACT = `
openapi: 3.0.3
info: { title: Messages, version: '1' }
paths:
  /codes/{code}:
    get:
      operationId: lire_code
      parameters:
        - { name: code, in: path, required: true, schema: { type: string, pattern: '^[A-Z]{3}$' } }
        - { name: page, in: query, schema: { type: integer, minimum: 1 } }
        - { name: tri, in: query, schema: { type: string, enum: [asc, desc] } }
      responses: { '200': { description: ok } }
  /declarations:
    post:
      operationId: deposer
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [montant]
              additionalProperties: false
              properties:
                montant: { type: number }
                date: { type: string, format: date }
      responses: { '201': { description: ok } }
`
const contract = await loadContract(join(tempFiles({ 'c.yaml': CONTRACT }), 'c.yaml'))
const validate = createRequestValidator(contract)
const op = (id: string) => contract.operations.find((o) => o.id === id)!
const detail = (id: string, p: Partial<RequestParts>) =>
  validate(op(id), { path: {}, query: {}, headers: {}, ...p })?.spec.detail

// ajv's English fragments: none may appear inside a French message.
const ENGLISH = /\b(must|should|match|pattern|equal|allowed|property|properties|have|be)\b/

describe('validation messages speak French only', () => {
  const cases: Array<[string, string, Partial<RequestParts>, RegExp]> = [
    ['pattern', 'lire_code', { path: { code: 'abc' } }, /doit correspondre au format/],
    ['minimum', 'lire_code', { path: { code: 'ABC' }, query: { page: '0' } }, /doit être >= 1/],
    ['type', 'lire_code', { path: { code: 'ABC' }, query: { page: 'x' } }, /doit être de type/],
    ['enum', 'lire_code', { path: { code: 'ABC' }, query: { tri: 'haut' } }, /doit être égal/],
    ['required', 'deposer', { body: {} }, /montant/],
    ['body type', 'deposer', { body: { montant: 'dix' } }, /doit être de type number/],
    ['format', 'deposer', { body: { montant: 1, date: 'hier' } }, /format "date"/],
    ['additional', 'deposer', { body: { montant: 1, x: 2 } }, /propriétés additionnelles/],
  ]
  for (const [what, id, p, french] of cases) {
    it(`${what}: the fragment is French`, () => {
      const text = detail(id, p)
      expect(text).toMatch(french)
      expect(text).not.toMatch(ENGLISH)
    })
  }
})
