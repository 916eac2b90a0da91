import { describe, expect, it } from 'vitest'
import { applyScopes, leafPaths } from '../../mock/scope/filter-by-scope.js'
import { addScopedField, emptyNode, splitPath } from '../../mock/scope/scope-tree.js'

function tree(fields: Record<string, string[]>) {
  const root = emptyNode()
  for (const [path, scopes] of Object.entries(fields)) addScopedField(root, splitPath(path), scopes)
  return root
}

const body = () => ({
  data: {
    siren: '418166096',
    personne_physique: { nom: 'FONTANEL', prenom: 'Camille' },
    mandataires_sociaux: [
      { nom: 'A', date_naissance: '1984-06' },
      { nom: 'B', date_naissance: null },
    ],
  },
})

describe('minimisation by scope', () => {
  const root = tree({
    'data.personne_physique': ['pp'],
    'data.mandataires_sociaux.*.date_naissance': ['ms'],
  })

  it('removes every field whose scopes the token holds none of, and says which', () => {
    const b = body()
    const out = applyScopes(b, root, new Set())
    expect(b.data).toEqual({
      siren: '418166096',
      mandataires_sociaux: [{ nom: 'A' }, { nom: 'B' }],
    })
    expect(out.withheld).toEqual([
      'data.mandataires_sociaux[].date_naissance',
      'data.personne_physique',
    ])
    expect(out.fields).toEqual(['data.mandataires_sociaux[].nom', 'data.siren'])
    expect(out.unlocking).toEqual([])
  })

  it('keeps the fields of scopes the token holds, and names the scopes that let data through', () => {
    const b = body()
    const out = applyScopes(b, root, new Set(['pp', 'ms']))
    expect(b).toEqual(body())
    expect(out.withheld).toEqual([])
    expect(out.unlocking).toEqual(['ms', 'pp'])
    expect(out.fields).toContain('data.personne_physique.nom')
  })

  it('walks arrays whether the path spells their items with * or not', () => {
    const b = body()
    applyScopes(b, tree({ 'data.mandataires_sociaux.date_naissance': ['ms'] }), new Set())
    expect(b.data.mandataires_sociaux).toEqual([{ nom: 'A' }, { nom: 'B' }])
  })

  it('empties an array whose items are scoped', () => {
    const b = body()
    const out = applyScopes(b, tree({ 'data.mandataires_sociaux.*': ['ms'] }), new Set())
    expect(b.data.mandataires_sociaux).toEqual([])
    expect(out.withheld).toEqual(['data.mandataires_sociaux[]'])
  })

  it('lists leaf paths with array items as [] and empty containers as leaves', () => {
    expect(leafPaths({ a: [{ b: 1 }, { c: null }], d: {}, e: [] })).toEqual([
      'a[].b',
      'a[].c',
      'd',
      'e',
    ])
  })
})
