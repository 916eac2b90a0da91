import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  JSON_PATH,
  startHarness,
  times,
  type Harness,
  type TestClient,
} from '../traffic/harness.js'
import { arm } from './scenario-harness.js'

describe('answers a scenario shaped name it', () => {
  let h: Harness
  let c: TestClient
  beforeAll(async () => {
    h = await startHarness()
    c = await h.client()
  })
  afterAll(() => h.close())

  it('every answer of the 429 period a scenario started carries Sandbox-Scenario', async () => {
    await arm(h, c, 'burst-429')
    const token = await c.token()
    const answers = await times(8, () => c.get(JSON_PATH, token))
    // Calls 1-4 are ordinary; the 5th starts the period; 6-8 fall inside it.
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 429, 429, 429, 429])
    for (const r of answers.slice(0, 4)) expect(r.headers['sandbox-scenario']).toBeUndefined()
    for (const r of answers.slice(4)) expect(r.headers['sandbox-scenario']).toBe('burst-429')
    // Once the period is over, answers are the rate limiter's own again.
    h.advance(6_000)
    const after = await c.get(JSON_PATH, token)
    expect(after.status).toBe(200)
    expect(after.headers['sandbox-scenario']).toBeUndefined()
  })
})
