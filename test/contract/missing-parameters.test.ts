import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { createSandbox } from '../../mock/create-sandbox.js'

const sandbox = await createSandbox({
  state: 'memory',
  auth: false,
  rateLimits: 'off',
  log: () => undefined,
})
afterAll(() => sandbox.close())

describe('missing parameters', () => {
  it('reports every missing traceability parameter, each with its production code', async () => {
    const res = await request(sandbox.app).get('/v3/insee/sirene/unites_legales/418166096')
    expect(res.status).toBe(422)
    const errors = (res.body as { errors: { code: string; source: { parameter: string } }[] })
      .errors
    // In the contract's order of parameters, one item each.
    const codes = Object.fromEntries(errors.map((e) => [e.source.parameter, e.code]))
    expect(errors).toHaveLength(3)
    expect(codes).toEqual({ context: '00201', object: '00202', recipient: '00203' })
  })

  it('reports only what is missing', async () => {
    const res = await request(sandbox.app).get(
      '/v3/insee/sirene/unites_legales/418166096?context=test&object=test',
    )
    expect(res.status).toBe(422)
    const errors = (res.body as { errors: { source: { parameter: string } }[] }).errors
    expect(errors.map((e) => e.source.parameter)).toEqual(['recipient'])
  })
})
