import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAjv, createSchemaCompiler } from '../../mock/contract/json-schema.js'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { applyScopes } from '../../mock/scope/filter-by-scope.js'
import { addScopedField, emptyNode, splitPath } from '../../mock/scope/scope-tree.js'
import { blankValue } from '../../mock/scope/schema-fields.js'
import type { JsonSchema } from '../../mock/contract/types.js'
import { ADMIN, getToken, makeClient, TRACE } from '../auth/helpers.js'
import { realContractPath } from '../helpers/real-contract.js'

const UNITS = 'api_entreprise_v3_insee_unites_legales'

describe('minimisation keeps answers valid', () => {
  it('blanks a required field to null where allowed, else removes it; both are listed', () => {
    const root = emptyNode()
    for (const p of ['data.a', 'data.b', 'data.c']) addScopedField(root, splitPath(p), ['s'])
    const body = { data: { a: 'x', b: 'y', c: 'z', d: 1 } }
    const required = new Map<string, JsonSchema>([
      ['data.a', { type: 'string', nullable: true }],
      ['data.b', { type: 'string' }],
    ])
    const out = applyScopes(body, root, new Set(), required)
    expect(body.data).toEqual({ a: null, d: 1 })
    expect(out.withheld).toEqual(['data.a', 'data.b', 'data.c'])
    expect(out.withheldBy).toEqual(['data.a=s', 'data.b=s', 'data.c=s'])
  })

  it('blanks a required object into its required fields, null where allowed', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['nom', 'prenoms'],
      properties: {
        nom: { type: ['string', 'null'] },
        prenoms: { type: 'array', items: { type: 'string' } },
        age: { type: 'integer' },
      },
    }
    expect(blankValue(schema)).toEqual({ nom: null, prenoms: [] })
    expect(blankValue({ type: 'string' })).toBeUndefined()
    expect(blankValue({ type: 'array', minItems: 1 })).toBeUndefined()
  })

  describe('on the real contract', () => {
    let sandbox: Sandbox
    beforeAll(async () => {
      sandbox = await createSandbox({
        contract: realContractPath(),
        state: 'memory',
        adminToken: ADMIN,
        rateLimits: 'off',
        demoClient: false,
        log: () => undefined,
      })
    })
    afterAll(() => sandbox.close())

    it('withholds the protected identity of a legal unit and says so in a header, the journal and the report', async () => {
      const client = await makeClient(sandbox.app, {
        privileges: ['unites_legales_etablissements_insee'],
      })
      const token = await getToken(sandbox.app, client)
      const res = await request(sandbox.app)
        .get('/v3/insee/sirene/unites_legales/418166096')
        .query(TRACE)
        .set('authorization', `Bearer ${token}`)
      expect(res.status).toBe(200)
      const op = sandbox.context.contract.operations.find((o) => o.id === UNITS)!
      const check = createSchemaCompiler(createAjv(sandbox.context.contract.openapi))(
        op.responses['200']!.schema!,
      )
      // The contract requires personne_physique_attributs, not nullable, with a `sexe` enum of M
      // or F that admits no null: no blank value fits, so it is removed and named in the header.
      // Nothing else in the answer breaks the contract.
      check(res.body)
      expect(check.errors).toEqual([
        expect.objectContaining({
          instancePath: '/data',
          params: { missingProperty: 'personne_physique_attributs' },
        }),
      ])
      expect(res.headers['sandbox-withheld-fields']).toBe(
        'data.personne_physique_attributs=unites_legales_donnees_protegees',
      )
      // The journal and the report say which field was withheld, and by which scope.
      let entries: Array<{ withheld?: string[]; notes?: Record<string, unknown> }> = []
      for (let i = 0; i < 50 && entries.length === 0; i++) {
        await new Promise((r) => setImmediate(r))
        const j = await request(sandbox.app)
          .get('/__sandbox/journal')
          .query({ client: client.clientId, kind: 'api' })
          .set('authorization', `Bearer ${ADMIN}`)
        entries = j.body.entries
      }
      expect(entries[0]!.withheld).toEqual(['data.personne_physique_attributs'])
      expect(entries[0]!.notes?.withheld_by).toEqual([
        'data.personne_physique_attributs=unites_legales_donnees_protegees',
      ])
      const report = await request(sandbox.app)
        .get('/__sandbox/report')
        .query({ client: client.clientId, format: 'json', run: 'all' })
        .set('authorization', `Bearer ${ADMIN}`)
      expect(JSON.stringify(report.body)).toContain(
        'data.personne_physique_attributs=unites_legales_donnees_protegees',
      )
    })
  })
})
