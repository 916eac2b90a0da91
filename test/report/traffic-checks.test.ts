import { describe, expect, it } from 'vitest'
import { backoffCheck } from '../../mock/report/check-backoff.js'
import { banCheck } from '../../mock/report/check-ban.js'
import { retryAfterCheck } from '../../mock/report/check-retry-after.js'
import { retryInCheck } from '../../mock/report/check-retry-in.js'
import { makeEntry } from '../journal/make-entry.js'
import { judge } from './judge.js'

const T = Date.UTC(2025, 0, 6, 9)
const S = 1000
const call = (t: number, extra: Parameters<typeof makeEntry>[0] = {}) =>
  makeEntry({ t: T + t, rateGroup: 'json', ref: { siren: '418166096' }, ...extra })

describe('verdict check: honours Retry-After', () => {
  it('passes when the next call in the group waits until the window ends', () => {
    const r = judge(retryAfterCheck, [call(0, { status: 429, retryAfter: 30 }), call(31 * S)])
    expect(r.status).toBe('pass')
    expect(r.evidence[0]!.note).toMatch(
      /429 asked to wait 30 s; the next call to group json came 31 s later/,
    )
  })

  it('fails on each call in the group before Retry-After has elapsed, citing it', () => {
    const r = judge(retryAfterCheck, [
      call(0, { status: 429, retryAfter: 30 }),
      call(2 * S, { status: 429, retryAfter: 28 }),
      call(40 * S),
    ])
    expect(r.status).toBe('fail')
    expect(r.evidence).toHaveLength(1)
    expect(r.evidence[0]).toMatchObject({
      status: 429,
      note: expect.stringMatching(/called group json 2\.0 s after a 429 that asked to wait 30 s/),
    })
  })

  it('does not count calls of another group, nor calls under way when the 429 went out', () => {
    const r = judge(retryAfterCheck, [
      call(0, { status: 429, retryAfter: 30, latencyMs: 50 }),
      call(10, { rateGroup: 'documents' }),
      call(20, {}), // arrived before the 429 was fully sent
      call(5 * S, { rateGroup: 'documents' }),
    ])
    expect(r.status).toBe('pass')
  })

  it('is not exercised without a 429', () => {
    expect(judge(retryAfterCheck, [call(0)]).status).toBe('not-exercised')
  })
})

describe('verdict check: honours meta.retry_in', () => {
  it('passes when the same resource is left alone until retry_in elapses, other resources meanwhile', () => {
    const r = judge(retryInCheck, [
      call(0, { status: 502, retryIn: 120 }),
      call(S, { ref: { siren: '552100554' } }),
      call(121 * S),
    ])
    expect(r.status).toBe('pass')
  })

  it('fails on a call for the same resource before retry_in elapses', () => {
    const r = judge(retryInCheck, [
      call(0, { status: 502, retryIn: 120 }),
      call(3 * S, { status: 502, retryIn: 117 }),
    ])
    expect(r.status).toBe('fail')
    expect(r.evidence[0]!.note).toMatch(/same resource 3\.0 s after a 502 whose retry_in was 120 s/)
  })
})

describe('verdict check: backs off on 503/504', () => {
  it('passes with growing waits and a bounded number of retries', () => {
    const r = judge(backoffCheck, [
      call(0, { status: 503, latencyMs: 0 }),
      call(1 * S, { status: 503, latencyMs: 0 }),
      call(3 * S, { status: 504, latencyMs: 0 }),
      call(7 * S, { status: 200, latencyMs: 0 }),
    ])
    expect(r.status).toBe('pass')
    expect(r.evidence[0]!.note).toBe('503 followed by 3 retries, waits 1.0 s, 2.0 s, 4.0 s')
  })

  it('counts a call the client abandoned (timeout) as a failure to back off from', () => {
    const r = judge(backoffCheck, [
      call(0, {
        status: undefined,
        outcome: 'client-closed',
        clientClosed: true,
        latencyMs: 5 * S,
        stalled: true,
      }),
      call(5 * S + 50),
    ])
    expect(r.status).toBe('fail')
    expect(r.evidence[0]!.note).toMatch(
      /retried 50 ms after a call the client gave up on: wait at least 200 ms/,
    )
  })

  it('fails on an immediate retry, on shrinking or constant waits, and past 5 retries', () => {
    expect(judge(backoffCheck, [call(0, { status: 503 }), call(10)]).status).toBe('fail')
    const shrinking = judge(backoffCheck, [
      call(0, { status: 503, latencyMs: 0 }),
      call(4 * S, { status: 503, latencyMs: 0 }),
      call(6 * S, { latencyMs: 0 }),
    ])
    expect(shrinking.evidence[0]!.note).toMatch(/less than the 4\.0 s before: waits must grow/)
    const constant = judge(
      backoffCheck,
      [0, 2, 4, 6].map((s, i, all) =>
        call(s * S, { status: i < all.length - 1 ? 503 : 200, latencyMs: 0 }),
      ),
    )
    expect(constant.evidence[0]!.note).toMatch(/3 retries at a constant 2\.0 s: waits must grow/)
    const many = judge(
      backoffCheck,
      Array.from({ length: 8 }, (_, i) => call((2 ** i - 1) * S, { status: 503, latencyMs: 0 })),
    )
    expect(many.evidence[0]!.note).toMatch(/retry number 6 after a failure: at most 5 are allowed/)
  })

  it('makes the first retry wait at least the Retry-After of a 503', () => {
    const r = judge(backoffCheck, [
      call(0, { status: 503, retryAfter: 60, latencyMs: 0 }),
      call(10 * S),
    ])
    expect(r.status).toBe('fail')
    expect(r.evidence[0]!.note).toMatch(/retried 10 s after a 503 that asked to wait 60 s/)
  })

  it('is not exercised when nothing failed, and leaves ban holds to the ban check', () => {
    expect(judge(backoffCheck, [call(0), call(1)]).status).toBe('not-exercised')
    expect(
      judge(backoffCheck, [
        call(0, { status: undefined, outcome: 'server-closed', banned: true }),
        call(1),
      ]).status,
    ).toBe('not-exercised')
  })
})

describe('verdict check: stops calling when banned', () => {
  const held = (t: number) =>
    call(t, {
      status: undefined,
      outcome: 'client-closed',
      banned: true,
      stalled: true,
      banUntil: new Date(T + 12 * 3600 * S).toISOString(),
    })

  it('passes with a few attempts, then silence until the ban ends', () => {
    const r = judge(banCheck, [held(0), held(10 * S), call(12 * 3600 * S + S)])
    expect(r.status).toBe('pass')
    expect(r.evidence[0]!.note).toMatch(/banned until .*; 2 calls during the ban/)
  })

  it('fails on each call past the third during the ban', () => {
    const r = judge(
      banCheck,
      [0, 1, 2, 3, 4].map((i) => held(i * S)),
    )
    expect(r.status).toBe('fail')
    expect(r.evidence.map((e) => e.note)).toEqual([
      expect.stringMatching(/^call 4 during a ban until/),
      expect.stringMatching(/^call 5 during a ban until/),
    ])
  })

  it('is not exercised when the client was never banned', () => {
    expect(judge(banCheck, [call(0)]).status).toBe('not-exercised')
  })
})

describe('verdict checks: answers the client never received', () => {
  it('does not hold a 429 or a retry_in against a client that had already given up on the call', () => {
    const lost = { outcome: 'client-closed' as const, clientClosed: true }
    expect(
      judge(retryAfterCheck, [call(0, { status: 429, retryAfter: 30, ...lost }), call(S)]).status,
    ).toBe('not-exercised')
    expect(
      judge(retryInCheck, [call(0, { status: 502, retryIn: 30, ...lost }), call(S)]).status,
    ).toBe('not-exercised')
  })
})
