import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  JSON_PATH,
  startHarness,
  TRACE,
  type Harness,
  type TestClient,
} from '../traffic/harness.js'
import { expectStatus, firstError } from './scenario-harness.js'

const FILES: Record<string, string> = {
  'test-conflict.yaml':
    'description: conflict\neffect: { type: conflict, for: 30s }\nwhen: { calls: 1 }\n',
  'test-451.yaml': 'description: non-diffusible\neffect: { type: non-diffusible }\n',
  'test-status.yaml': 'description: any status\neffect: { type: status, status: 500 }\n',
  'test-only-v4.yaml':
    'description: only on v4\nmatch: { operations: [api_entreprise_v4_insee_unites_legales] }\neffect: { type: maintenance }\n',
}

describe('scenario effects', () => {
  let h: Harness
  let c: TestClient
  const get = async (path: string, prefer: string): Promise<request.Response> =>
    request(h.url)
      .get(path)
      .query(TRACE)
      .set('authorization', `Bearer ${await c.token()}`)
      .set('prefer', prefer)

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'effects-'))
    for (const [name, text] of Object.entries(FILES)) await writeFile(join(dir, name), text)
    h = await startHarness({ scenarios: dir })
    c = await h.client()
  })
  afterAll(() => h.close())

  it('answers 409 while the same request is being processed, for that resource only', async () => {
    const first = await get(JSON_PATH, 'scenario=test-conflict')
    expectStatus(first, 409)
    expect(firstError(first).code).toBe('00015')
    expectStatus(await c.get(JSON_PATH), 409)
    expectStatus(await c.get('/v3/insee/sirene/unites_legales/552100554'), 200)
    h.advance(30_000)
    expectStatus(await c.get(JSON_PATH), 200)
  })

  it('answers 451 with the contract body for a non-diffusible entity', async () => {
    const res = await get(JSON_PATH, 'scenario=test-451')
    expectStatus(res, 451)
    expect(res.body.errors).toHaveLength(1)
  })

  it('answers any status from the contract examples', async () => {
    expectStatus(await get(JSON_PATH, 'scenario=test-status'), 500)
  })

  it('applies only to the operations its match names', async () => {
    expectStatus(await get(JSON_PATH, 'scenario=test-only-v4'), 200)
    expectStatus(await get(JSON_PATH.replace('/v3/', '/v4/'), 'scenario=test-only-v4'), 503)
  })
})
