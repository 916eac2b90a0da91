import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import { ADMIN_FAILURE_LIMIT } from '../../mock/admin/admin-failures.js'
import { ADMIN, proxiedSandbox } from './helpers.js'

const GUESSER = '203.0.113.9'
const OPERATOR = '198.51.100.7'

/**
 * Guessing the admin token: each wrong token counts against its address and is journaled; past the
 * limit the address gets 429 with Retry-After, even with the right token, until its lock ends;
 * another address is not affected.
 */
describe('admin-token guessing is limited per address and journaled', () => {
  let sandbox: Sandbox
  let advance: (ms: number) => void
  beforeAll(async () => {
    ;({ sandbox, advance } = await proxiedSandbox())
  })
  afterAll(() => sandbox.close())

  const asAdmin = (from: string, token: string) =>
    request(sandbox.app)
      .get('/__sandbox/clients')
      .set('x-forwarded-for', from)
      .set('authorization', `Bearer ${token}`)

  it('answers 401 to each wrong token up to the limit, then 429 with Retry-After, the right token included', async () => {
    for (let i = 0; i < ADMIN_FAILURE_LIMIT.failures; i++) {
      const res = await asAdmin(GUESSER, `guess-${i}-0123456789abcdef`)
      expect(res.status).toBe(401)
    }
    const locked = await asAdmin(GUESSER, 'one-more-guess-0123456789')
    expect(locked.status).toBe(429)
    expect(locked.type).toBe('application/problem+json')
    const retryAfter = Number(locked.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(ADMIN_FAILURE_LIMIT.lockMs / 1000)
    // Found by luck while locked: refused all the same.
    expect((await asAdmin(GUESSER, ADMIN)).status).toBe(429)
    // The header form counts the same.
    const header = await request(sandbox.app)
      .get('/__sandbox/clients')
      .set('x-forwarded-for', GUESSER)
      .set('x-sandbox-admin-token', ADMIN)
    expect(header.status).toBe(429)
  })

  it('leaves other addresses alone, and requests without an admin token', async () => {
    expect((await asAdmin(OPERATOR, ADMIN)).status).toBe(200)
    const open = await request(sandbox.app).get('/__sandbox/health').set('x-forwarded-for', GUESSER)
    expect(open.status).toBe(200)
  })

  it('journals every wrong token and every refusal as an authentication failure, never the token', async () => {
    const res = await request(sandbox.app)
      .get('/__sandbox/journal')
      .query({ kind: 'auth-failure', format: 'jsonl' })
      .set('x-forwarded-for', OPERATOR)
      .set('authorization', `Bearer ${ADMIN}`)
    expect(res.status).toBe(200)
    const text = res.text
    const entries = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { code: string; ip: string; path: string })
    const fromGuesser = entries.filter((e) => e.ip === GUESSER)
    expect(fromGuesser.filter((e) => e.code === 'bad-admin-token')).toHaveLength(
      ADMIN_FAILURE_LIMIT.failures,
    )
    expect(fromGuesser.filter((e) => e.code === 'admin-locked').length).toBeGreaterThanOrEqual(3)
    expect(fromGuesser.every((e) => e.path === 'admin')).toBe(true)
    expect(text).not.toContain('guess-')
    expect(text).not.toContain(ADMIN)
  })

  it('lets the address try again once its lock has ended', async () => {
    advance(ADMIN_FAILURE_LIMIT.lockMs + 1000)
    expect((await asAdmin(GUESSER, ADMIN)).status).toBe(200)
  })
})
