import express from 'express'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import type { Exchange } from '../../mock/http/exchange.js'
import { assemblePipeline, createApiHandler } from '../../mock/pipeline.js'
import { authSandbox, getToken, makeClient, type MadeClient } from './helpers.js'

describe('identity on the exchange', () => {
  let sandbox: Sandbox
  let client: MadeClient
  let app: express.Express
  const seen: Exchange[] = []
  beforeAll(async () => {
    sandbox = await authSandbox()
    client = await makeClient(sandbox.app, { privileges: ['open_data'] })
    // The sandbox's own pipeline with a probe at the end, to look at what later stages receive.
    const pipeline = assemblePipeline(sandbox.context)
    pipeline.response.push((ex) => void seen.push(ex))
    const handle = createApiHandler(sandbox.context, pipeline)
    app = express()
    app.use((req, res) => void handle(req, res))
  })
  afterAll(() => sandbox.close())

  it('sets the identity and the client clock offset for the later stages', async () => {
    await sandbox.context.clock.advance(client.clientId, 60_000)
    const token = await getToken(sandbox.app, client)
    seen.length = 0
    await request(app).get('/privileges').set('authorization', `Bearer ${token}`).expect(200)
    const ex = seen[0]!
    expect(ex.identity).toEqual({
      clientId: client.clientId,
      jti: expect.any(String),
      scopes: ['open_data'],
      mode: 'bearer',
      expiresAt: expect.any(Number),
    })
    expect(ex.clockOffset).toBe(60_000)
    expect(ex.identity!.expiresAt! - (ex.receivedAt + ex.clockOffset)).toBeGreaterThan(290_000)
  })

  it('notes the refusal reason for the journal, never the token', async () => {
    seen.length = 0
    const token = await getToken(sandbox.app, client)
    await request(app).get('/privileges').set('authorization', `Bearer ${token}x`).expect(401)
    expect(seen[0]!.notes).toMatchObject({ authError: '00101', authReason: 'bad-signature' })
    expect(JSON.stringify(seen[0]!.notes)).not.toContain(token)
  })
})
