import express from 'express'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import type { Exchange } from '../../mock/http/exchange.js'
import { assemblePipeline, createApiHandler } from '../../mock/pipeline.js'
import { authSandbox, INSEE_PATH, TRACE } from './helpers.js'

describe('auth: false (plain-mock mode, for the bench)', () => {
  let sandbox: Sandbox
  let app: express.Express
  const seen: Exchange[] = []
  beforeAll(async () => {
    sandbox = await authSandbox({ auth: false })
    const pipeline = assemblePipeline(sandbox.context)
    pipeline.response.push((ex) => void seen.push(ex))
    const handle = createApiHandler(sandbox.context, pipeline)
    app = express()
    app.use((req, res) => void handle(req, res))
  })
  afterAll(() => sandbox.close())

  it('serves secured operations without a token and sets no identity', async () => {
    const res = await request(app).get(INSEE_PATH).query(TRACE)
    expect(res.status).toBe(200)
    expect(seen[0]!.identity).toBeUndefined()
  })

  it('ignores whatever Authorization header comes along', async () => {
    const res = await request(sandbox.app)
      .get(INSEE_PATH)
      .query(TRACE)
      .set('authorization', 'Bearer nonsense')
    expect(res.status).toBe(200)
  })

  it('still runs the token endpoint', async () => {
    const demo = sandbox.demoClient!
    const res = await request(sandbox.app).post('/oauth/token').type('form').send({
      grant_type: 'client_credentials',
      client_id: demo.clientId,
      client_secret: demo.clientSecret,
    })
    expect(res.status).toBe(200)
  })
})
