import { describe, expect, it } from 'vitest'
import { loadContract } from '../../mock/contract/load-contract.js'
import { SandboxConfigError } from '../../mock/errors.js'
import { DEFAULTS } from '../../mock/options.js'
import { loadFieldScopes } from '../../mock/scope/load-field-scopes.js'
import { readScopeMarks } from '../../mock/contract/scope-marks.js'
import { declaredFields } from '../../mock/scope/schema-fields.js'
import { listScopedFields } from '../../mock/scope/scope-tree.js'
import { tempFiles } from '../helpers/temp-files.js'

const contract = await loadContract(DEFAULTS.contract)
const quiet = (): void => undefined

describe('field scopes', () => {
  it('ties fields to scopes from x-sandbox-scopes on the contract and from the bundled mapping file', async () => {
    const table = await loadFieldScopes(DEFAULTS.fieldScopes, contract, quiet)
    expect(listScopedFields(table.get('api_entreprise_v3_insee_unites_legales')!)).toEqual([
      ['data.personne_physique_attributs', ['unites_legales_donnees_protegees']],
    ])
    const rcs = listScopedFields(table.get('api_entreprise_v3_infogreffe_extraits_rcs')!)
    expect(rcs).toContainEqual([
      'data.personne_physique',
      ['mandataires_sociaux_donnees_protegees'],
    ])
    expect(rcs).toContainEqual([
      'data.mandataires_sociaux.*.date_naissance',
      ['mandataires_sociaux_donnees_protegees'],
    ])
    expect(table.has('api_entreprise_v3_european_commission_vies')).toBe(false)
  })

  it('adds the scopes of a mapping entry to those of the contract, and ignores unknown operations', async () => {
    const dir = tempFiles({
      'scopes.yaml':
        'api_entreprise_v3_insee_unites_legales:\n  data.personne_physique_attributs: [extra_scope]\n  data.siren: [siren_scope]\nno_such_operation:\n  data.x: [s]\n',
    })
    const table = await loadFieldScopes(`${dir}/scopes.yaml`, contract, quiet)
    expect(listScopedFields(table.get('api_entreprise_v3_insee_unites_legales')!)).toEqual([
      ['data.personne_physique_attributs', ['extra_scope', 'unites_legales_donnees_protegees']],
      ['data.siren', ['siren_scope']],
    ])
  })

  it('goes on with the contract alone when the mapping file is missing, and says so', async () => {
    const lines: string[] = []
    const table = await loadFieldScopes('/nonexistent/field-scopes.yaml', contract, (l) =>
      lines.push(l),
    )
    expect(table.has('api_entreprise_v3_insee_unites_legales')).toBe(true)
    expect(lines[0]).toMatch(/not found; only the contract's x-sandbox-scopes filter fields/)
  })

  it.each([
    ['op: [a]\n', /entry "op": expected a map of dotted path/],
    ['op:\n  "data..x": [a]\n', /path "data\.\.x": expected dotted field names/],
    ['op:\n  data.x: []\n', /path "data\.x": expected a non-empty list of scope names/],
    ['op:\n  data.x: [1]\n', /expected a non-empty list of scope names/],
    ['- a\n', /expected a map of operationId/],
    ['op:\n  data.x: [a\n', /line \d+: not valid YAML/],
  ])('refuses a faulty mapping file at load, naming file and entry: %j', async (text, message) => {
    const dir = tempFiles({ 'scopes.yaml': text })
    const error = await loadFieldScopes(`${dir}/scopes.yaml`, contract, quiet).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(SandboxConfigError)
    expect((error as SandboxConfigError).code).toBe('bad-mapping')
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).toContain('scopes.yaml')
  })

  it('reads the x-sandbox-scopes marks of a document whose schemas share parts and recurse', () => {
    const shared: Record<string, unknown> = { type: 'object', properties: {} }
    const node: Record<string, unknown> = { type: 'object', properties: { child: shared } }
    ;(shared.properties as Record<string, unknown>).parent = node
    expect(readScopeMarks({ a: node, b: { oneOf: [shared] } })).toEqual({
      present: false,
      names: [],
    })
    const marked = { allOf: [{ items: { 'x-sandbox-scopes': ['a', 'b', 'a', 7] } }] }
    const wrong = { 'x-sandbox-scopes': 'not a list' }
    expect(
      readScopeMarks([node, { properties: { deep: { anyOf: [marked, marked] }, wrong } }]),
    ).toEqual({ present: true, names: ['a', 'b'] })
    expect(readScopeMarks({ only: wrong })).toEqual({ present: true, names: [] })
    expect(readScopeMarks([undefined, 'text', null])).toEqual({ present: false, names: [] })
  })

  it('lists the leaf fields an operation declares, array items as []', () => {
    const op = contract.operations.find(
      (o) => o.id === 'api_entreprise_v3_infogreffe_extraits_rcs',
    )!
    const fields = declaredFields(op)
    expect(fields).toContain('data.mandataires_sociaux[].date_naissance')
    expect(fields).toContain('data.capital.montant')
  })
})
