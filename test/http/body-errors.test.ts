import { join } from 'node:path'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { createSandbox } from '../../mock/create-sandbox.js'
import { MINI_CONTRACT } from '../contract/mini-contract.js'
import { tempFiles } from '../helpers/temp-files.js'

const contract = join(tempFiles({ 'c.yaml': MINI_CONTRACT }), 'c.yaml')
const sandbox = await createSandbox({
  contract,
  state: 'memory',
  auth: false,
  rateLimits: 'off',
  log: () => undefined,
})
afterAll(() => sandbox.close())

describe('request bodies the JSON parser refuses', () => {
  it('answers 400 in the contract shape, naming the body', async () => {
    const r = await request(sandbox.app)
      .post('/v3/items')
      .set('content-type', 'application/json')
      .send('{"name": ')
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({
      errors: [
        {
          source: { parameter: 'body' },
          detail: expect.stringMatching(/^Corps de requête illisible/),
        },
      ],
    })
  })

  it('answers 413 for a body over the limit', async () => {
    const r = await request(sandbox.app)
      .post('/v3/items')
      .set('content-type', 'application/json')
      .send(`{"name":"${'x'.repeat(1100 * 1024)}"}`)
    expect(r.status).toBe(413)
  })

  it('journals them like any other request', async () => {
    await request(sandbox.app)
      .post('/v3/items')
      .set('content-type', 'application/json')
      .send('[nope')
    await sandbox.context.journal.flush()
    const page = await sandbox.context.journal.query({ operation: 'post_v3_items' }, 100)
    expect(page.entries.map((e) => e.status)).toEqual([400, 413, 400])
  })
})
