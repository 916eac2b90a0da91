import { afterEach, describe, expect, it } from 'vitest'
import { DOCUMENT_PATH, JSON_PATH, startHarness, times, type Harness } from './harness.js'

describe('rate limits', () => {
  let h: Harness
  afterEach(() => h?.close())

  it('counts down RateLimit-Remaining on every answer of a window', async () => {
    h = await startHarness()
    const c = await h.client()
    const token = await c.token()
    const [first, second] = await times(2, () => c.get(JSON_PATH, token))
    expect(first!.status).toBe(200)
    expect(first!.headers['ratelimit-limit']).toBe('250')
    expect(first!.headers['ratelimit-remaining']).toBe('249')
    expect(second!.headers['ratelimit-remaining']).toBe('248')
    expect(first!.headers['ratelimit-reset']).toBe(String(Math.ceil((h.now + 60_000) / 1000)))
  })

  it('answers 429 with exact headers and the contract body on the 251st JSON call of a window', async () => {
    h = await startHarness()
    const c = await h.client()
    const token = await c.token()
    const start = h.now
    const answers = await times(250, (i) => {
      h.advance(i === 0 ? 0 : 100) // 250 calls over 24.9 s
      return c.get(JSON_PATH, token)
    })
    expect(answers.every((r) => r.status === 200)).toBe(true)
    expect(answers[249]!.headers['ratelimit-remaining']).toBe('0')
    h.advance(100) // 25 s after the first call
    const res = await c.get(JSON_PATH, token)
    expect(res.status).toBe(429)
    expect(res.headers['ratelimit-limit']).toBe('250')
    expect(res.headers['ratelimit-remaining']).toBe('0')
    expect(res.headers['ratelimit-reset']).toBe(String(Math.ceil((start + 60_000) / 1000)))
    expect(res.headers['retry-after']).toBe('35')
    expect(res.body).toEqual({
      errors: [expect.objectContaining({ code: '00429', title: 'Trop de requêtes' })],
    })
  })

  it('restarts the window one minute after its first call, not on the clock minute', async () => {
    h = await startHarness()
    const c = await h.client()
    const token = await c.token()
    h.advance(45_000) // the first call lands 45 s into a clock minute
    const first = await c.get(JSON_PATH, token)
    h.advance(59_999)
    const late = await c.get(JSON_PATH, token)
    expect(late.headers['ratelimit-remaining']).toBe('248')
    expect(late.headers['ratelimit-reset']).toBe(first.headers['ratelimit-reset'])
    h.advance(1)
    const fresh = await c.get(JSON_PATH, await c.token())
    expect(fresh.headers['ratelimit-remaining']).toBe('249')
    expect(Number(fresh.headers['ratelimit-reset'])).toBe(Math.ceil((h.now + 60_000) / 1000))
  })

  it('counts document operations against their own group of 50', async () => {
    h = await startHarness()
    const c = await h.client()
    const token = await c.token()
    await c.get(JSON_PATH, token)
    const doc = await c.get(DOCUMENT_PATH, token)
    expect(doc.status).toBe(200)
    expect(doc.headers['ratelimit-limit']).toBe('50')
    expect(doc.headers['ratelimit-remaining']).toBe('49')
  })

  it('keeps the windows of two clients apart behind one IP', async () => {
    h = await startHarness()
    const a = await h.client()
    const b = await h.client()
    const ta = await a.token()
    await times(5, () => a.get(JSON_PATH, ta))
    const res = await b.get(JSON_PATH)
    expect(res.headers['ratelimit-remaining']).toBe('249')
  })

  it('sends no RateLimit header when started with rate limits off', async () => {
    h = await startHarness({ rateLimits: 'off' })
    const c = await h.client()
    const res = await c.get(JSON_PATH)
    expect(res.status).toBe(200)
    expect(res.headers['ratelimit-limit']).toBeUndefined()
  })
})
