import { describe, expect, it } from 'vitest'
import { degradeBody, UNAVAILABLE } from '../../mock/scenarios/partial.js'

const BODY = {
  data: {
    siren: '418166096',
    nom: 'OCTO',
    effectif: 120,
    adresse: { ville: 'Paris', cp: '75008' },
    codes: ['a', 'b'],
  },
  links: {},
  meta: { date: '2030-01-01' },
}

describe('partial bodies', () => {
  it('blanks the chosen fields, * matching any key or index, and leaves the rest alone', () => {
    const out = degradeBody(BODY, ['data.adresse.*', 'data.codes.1'], 0, 1, 1)
    expect(out.paths.sort()).toEqual(['data.adresse.cp', 'data.adresse.ville', 'data.codes.1'])
    expect(out.body).toMatchObject({
      data: {
        adresse: { ville: UNAVAILABLE, cp: UNAVAILABLE },
        codes: ['a', UNAVAILABLE],
        nom: 'OCTO',
      },
    })
    expect(BODY.data.adresse.ville).toBe('Paris')
  })

  it('draws random leaves under data only, never the identifier asked for, the same for the same salt', () => {
    const a = degradeBody(BODY, [], 3, 1, 42, ['418166096'])
    expect(a.paths).toHaveLength(3)
    expect(a.paths.every((p) => p.startsWith('data.') && p !== 'data.siren')).toBe(true)
    expect(degradeBody(BODY, [], 3, 1, 42, ['418166096']).paths).toEqual(a.paths)
  })
})
