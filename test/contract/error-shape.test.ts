import { join } from 'node:path'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { createSandbox } from '../../mock/create-sandbox.js'

const CORPUS = join(import.meta.dirname, 'corpus')
const open = (file: string, locale?: 'fr' | 'en') =>
  createSandbox({
    contract: join(CORPUS, file),
    state: 'memory',
    auth: false,
    rateLimits: 'off',
    log: () => undefined,
    ...(locale ? { locale } : {}),
  })
const pets = await open('swagger2.yaml')
const params = await open('parameters.yaml')
const french = await open('parameters.yaml', 'fr')
afterAll(() => Promise.all([pets.close(), params.close(), french.close()]))

describe('a refused request is answered in the contract shape', () => {
  it('uses the 400 the operation declares, its schema, in English', async () => {
    const res = await request(pets.app).get('/pets?limit=500')
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      code: 400,
      message: expect.stringMatching(/^Parameter limit is invalid/),
    })
  })

  it('answers RFC 9457 problem details when the contract declares nothing', async () => {
    const res = await request(params.app).get('/items/0')
    expect(res.status).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.body).toMatchObject({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: expect.stringMatching(/^Parameter ref is invalid/),
    })
    const missing = await request(params.app).get('/nowhere')
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ status: 404, title: 'Not Found' })
  })

  it('speaks French when asked to', async () => {
    const res = await request(french.app).get('/items/0')
    expect(res.body.detail).toMatch(/^Le paramètre ref est invalide/)
  })

  it('gives English data for an English contract: people, logins and emails that agree', async () => {
    const res = await request(pets.app).get('/pets/3')
    expect(res.status).toBe(200)
    expect(JSON.stringify(res.body)).not.toMatch(/\.fr\b|é/)
  })
})

describe('a contract of the API Entreprise family that declares 400 for bad parameters', () => {
  it('answers 400 in its error shape, not 422', async () => {
    const sandbox = await open('errors-declared-400.yaml')
    try {
      const res = await request(sandbox.app).get('/api/v2/allocation?sexe=X')
      expect(res.status).toBe(400)
      expect(res.body).toMatchObject({
        errors: [{ code: expect.any(String), title: 'Entité non traitable' }],
      })
      // An operation that declares neither 400 nor 422 answers as the contract's others do.
      const silent = await request(sandbox.app).get('/api/v2/composition?numero=12')
      expect(silent.status).toBe(400)
    } finally {
      await sandbox.close()
    }
  })
})
