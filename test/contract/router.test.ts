import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { loadContract } from '../../mock/contract/load-contract.js'
import { createRouter } from '../../mock/contract/router.js'
import { tempFiles } from '../helpers/temp-files.js'
import { MINI_CONTRACT } from './mini-contract.js'

const contract = await loadContract(join(tempFiles({ 'c.yaml': MINI_CONTRACT }), 'c.yaml'))
const route = createRouter(contract.operations)

describe('createRouter', () => {
  it('matches a templated path and extracts its parameters', () => {
    const m = route('GET', '/v3/effectifs/418166096/annees/2024')
    expect(m.kind).toBe('operation')
    if (m.kind !== 'operation') return
    expect(m.operation.path).toBe('/v3/effectifs/{siren}/annees/{year}')
    expect(m.params).toEqual({ siren: '418166096', year: '2024' })
  })

  it('prefers a static segment over a parameter', () => {
    const m = route('GET', '/v3/unites_legales/diffusibles/418166096')
    expect(m.kind === 'operation' && m.operation.path).toBe(
      '/v3/unites_legales/diffusibles/{siren}',
    )
  })

  it('answers an unknown path with not-found', () => {
    expect(route('GET', '/v9/nothing').kind).toBe('not-found')
  })

  it('answers a known path with another method with the allowed methods', () => {
    expect(route('PUT', '/v3/unites_legales/418166096')).toEqual({
      kind: 'method-not-allowed',
      allow: ['GET', 'DELETE', 'HEAD', 'OPTIONS'],
    })
  })

  it('serves HEAD with the GET operation', () => {
    const m = route('HEAD', '/v3/unites_legales/418166096')
    expect(m.kind === 'operation' && m.operation.method).toBe('get')
  })
})
