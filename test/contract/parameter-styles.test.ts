import { join } from 'node:path'
import { parse as parseQuery } from 'node:querystring'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { createSandbox } from '../../mock/create-sandbox.js'
import { dataParams } from '../../mock/contract/data-params.js'

const warnings: string[] = []
const sandbox = await createSandbox({
  contract: join(import.meta.dirname, 'corpus/parameters.yaml'),
  state: 'memory',
  auth: false,
  rateLimits: 'off',
  log: (line) => warnings.push(line),
})
afterAll(() => sandbox.close())
const get = (path: string, headers: Record<string, string> = {}) =>
  request(sandbox.app).get(path).set(headers)

describe('parameters read as their style says', () => {
  it('accepts every style and explode combination written correctly', async () => {
    const ok = [
      '/search?scope[type]=user&scope[min]=3',
      '/search?scope%5Btype%5D=org',
      '/search?scope[type]=user&ids=1,2,3&tags=a&tags=b&words=x%20y&colors=red|blue&active=true&ratio=0.5',
      '/search?scope[type]=user&name=a-b:c_d',
      '/search?scope[type]=user&kind=anything&broken=whatever',
      '/search?scope[type]=user&filter=%7B%22q%22%3A%22x%22%7D',
      '/items/42',
      '/items/abc',
      '/points/;x=1;y=2',
      '/labels/.1,2,3',
      '/pairs/3,4',
    ]
    for (const path of ok) {
      const res = await get(path, path.startsWith('/pairs') ? { 'x-trace': 'id=7' } : {})
      expect({ path, status: res.status, body: res.body as unknown }).toMatchObject({
        path,
        status: 200,
      })
    }
  })

  it('refuses values that break the schema once read', async () => {
    const bad = [
      '/search',
      '/search?scope[type]=nobody',
      '/search?scope[type]=user&scope[min]=x',
      '/search?scope[type]=user&ids=1,b',
      '/search?scope[type]=user&colors=a|b|c|d',
      '/search?scope[type]=user&active=maybe',
      '/search?scope[type]=user&ratio=2',
      '/search?scope[type]=user&name=a%20b',
      '/search?scope[type]=user&filter=%7B%7D',
      '/items/0',
      '/items/ABC',
      '/points/;x=1',
      '/labels/.1',
      '/pairs/3,4,5',
    ]
    for (const path of bad) {
      const res = await get(path)
      expect({ path, status: res.status }).toMatchObject({ path, status: expect.any(Number) })
      expect(res.status, path).toBeGreaterThanOrEqual(400)
      expect(res.status, path).toBeLessThan(500)
    }
  })

  it('reports an uncompilable pattern and an empty enum once, at load', () => {
    const lint = warnings.filter((w) => w.startsWith('warning:'))
    expect(lint).toHaveLength(2)
    expect(lint[0]).toMatch(/search, parameter kind: at \/: an empty enum allows no value/)
    expect(lint[1]).toMatch(/search, parameter broken: at \/: pattern "\(\[a-z" is not a valid/)
  })
})

describe('the data a request asks for', () => {
  it('reads deepObject and delimited parameters as their style writes them', () => {
    const op = sandbox.context.contract.operations.find((o) => o.id === 'search')!
    const query = parseQuery('scope[type]=user&scope[min]=3&colors=red|blue&ids=1,2')
    expect(dataParams(op, { pathParams: {}, query })).toEqual({
      'scope[min]': '3',
      'scope[type]': 'user',
      colors: 'red,blue',
      ids: '1,2',
    })
  })

  it('answers the same body for the same deepObject values in any order', async () => {
    const a = await get('/search?scope[type]=user&scope[min]=3')
    const again = await get('/search?scope[min]=3&scope[type]=user')
    expect(a.status).toBe(200)
    expect(again.text).toBe(a.text)
  })
})
