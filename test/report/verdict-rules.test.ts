import { describe, expect, it } from 'vitest'
import { backoffCheck } from '../../mock/report/check-backoff.js'
import { banCheck } from '../../mock/report/check-ban.js'
import { retryAfterCheck } from '../../mock/report/check-retry-after.js'
import { retryInCheck } from '../../mock/report/check-retry-in.js'
import { timeoutsCheck } from '../../mock/report/check-timeouts.js'
import { tokenExpiryCheck } from '../../mock/report/check-token-expiry.js'
import type { JournalEntry } from '../../mock/journal/journal-entry.js'
import { makeEntry } from '../journal/make-entry.js'
import { judge } from './judge.js'
import { ASKED_WAITS, CLOSES_HELD_CALL, OWN_BACKOFF } from './library-timings.js'

const T = Date.UTC(2025, 0, 6, 9)
const S = 1000
const SIREN = { siren: '418166096' }
const call = (t: number, extra: Partial<JournalEntry> = {}) =>
  makeEntry({ t: T + t, rateGroup: 'json', ref: SIREN, latencyMs: 0, ...extra })

/** A failure followed by retries after the given waits, the last retry answered 200. */
function run(first: Partial<JournalEntry>, waits: readonly number[], again = first) {
  const entries = [call(0, first)]
  let t = 0
  waits.forEach((w, i) => {
    t += w
    entries.push(call(t, i === waits.length - 1 ? {} : again))
  })
  return entries
}

describe('rule: waiting at least what the server asked satisfies it, jitter tolerated', () => {
  it.each(Object.entries(ASKED_WAITS))(
    '%s passes backoff and retry-after',
    (_, { asked, waits }) => {
      const failed = { status: 503, retryAfter: asked }
      const entries = run(failed, waits)
      expect(judge(backoffCheck, entries).status).toBe('pass')
      expect(judge(retryAfterCheck, entries).status).toBe('pass')
    },
  )

  it('equal waits are fine when asked for, even when the second is a few ms shorter', () => {
    const r = judge(backoffCheck, run({ status: 503, retryAfter: 30 }, [30_154, 30_004, 30_002]))
    expect(r.status).toBe('pass')
    expect(r.evidence[0]!.note).toMatch(/503 followed by 3 retries/)
  })

  it('tolerates 5 % of the asked wait (at most 1 s), not more', () => {
    expect(
      judge(retryAfterCheck, [call(0, { status: 429, retryAfter: 30 }), call(29_100)]).status,
    ).toBe('pass')
    const early = judge(retryAfterCheck, [call(0, { status: 429, retryAfter: 30 }), call(28_900)])
    expect(early.status).toBe('fail')
    expect(
      judge(retryAfterCheck, [call(0, { status: 429, retryAfter: 2 }), call(1_850)]).status,
    ).toBe('fail')
    expect(judge(retryInCheck, [call(0, { status: 502, retryIn: 10 }), call(9_600)]).status).toBe(
      'pass',
    )
    expect(judge(retryInCheck, [call(0, { status: 502, retryIn: 10 }), call(9_400)]).status).toBe(
      'fail',
    )
    expect(judge(backoffCheck, run({ status: 503, retryAfter: 30 }, [27_000])).status).toBe('fail')
  })
})

describe("rule: the client's own backoff grows from at least 200 ms, at most 5 retries", () => {
  it.each(Object.entries(OWN_BACKOFF))('%s with its defaults passes after 504s', (_, waits) => {
    expect(judge(backoffCheck, run({ status: 504 }, waits)).status).toBe('pass')
  })

  it('an immediate retry, constant waits or too many retries fail', () => {
    expect(judge(backoffCheck, run({ status: 504 }, [20])).status).toBe('fail')
    const constant = judge(backoffCheck, run({ status: 504 }, [1000, 1003, 1001]))
    expect(constant.status).toBe('fail')
    expect(constant.evidence[0]!.note).toMatch(/constant 1\.0 s: waits must grow/)
    // p-retry's default of 10 retries is more than production tolerates on a lasting failure.
    const pRetry = [1001, 2002, 4001, 8002, 16003, 32001]
    expect(judge(backoffCheck, run({ status: 504 }, pRetry)).evidence[0]!.note).toMatch(
      /retry number 6/,
    )
  })
})

describe('rule: a 503 Retry-After pauses the whole API', () => {
  it('a call to another resource during the pause fails retry-after', () => {
    const r = judge(retryAfterCheck, [
      call(0, { status: 503, retryAfter: 2 }),
      call(100, { ref: { siren: '552100554' }, rateGroup: 'documents' }),
    ])
    expect(r.status).toBe('fail')
    expect(r.evidence[0]!.note).toMatch(/called the API 100 ms after a 503 that asked to wait 2 s/)
  })

  it('a client that pauses everything passes; a 429 still holds back its group only', () => {
    expect(
      judge(retryAfterCheck, [
        call(0, { status: 503, retryAfter: 2 }),
        call(2_010, { ref: { siren: '552100554' } }),
      ]).status,
    ).toBe('pass')
    expect(
      judge(retryAfterCheck, [
        call(0, { status: 429, retryAfter: 2 }),
        call(100, { rateGroup: 'documents' }),
      ]).status,
    ).toBe('pass')
  })
})

describe('rule: presenting an expired token again fails token-expiry', () => {
  const expiresAt = new Date(T + 300 * S).toISOString()
  const withToken = (t: number, jti: string, extra: Partial<JournalEntry> = {}) =>
    call(t, { jti, tokenExpiresAt: expiresAt, ...extra })

  it('a cache that keeps its expired token fails, even when no 00103 was played', () => {
    const r = judge(tokenExpiryCheck, [
      withToken(299 * S, 'a'),
      withToken(301 * S, 'a'),
      withToken(302 * S, 'a'),
    ])
    expect(r.status).toBe('fail')
    expect(r.evidence[0]!.note).toBe(
      'presented again a token already expired or refused as expired',
    )
  })

  it('one presentation past expiry, refused, then a new token passes (renewing on refusal)', () => {
    const r = judge(tokenExpiryCheck, [
      withToken(301 * S, 'a', { status: 401, code: '00103' }),
      call(302 * S, { jti: 'b' }),
    ])
    expect(r.status).toBe('pass')
  })

  it('simple-oauth2 renewing a minute before expiry passes, exercised', () => {
    const r = judge(tokenExpiryCheck, [
      makeEntry({ kind: 'token', t: T, jti: 'a', tokenExpiresAt: expiresAt }),
      withToken(100 * S, 'a'),
      makeEntry({ kind: 'token', t: T + 240 * S, jti: 'b' }),
      call(301 * S, { jti: 'b' }),
    ])
    expect(r.status).toBe('pass')
  })
})

describe('rule: a ban is passed only if the client stops', () => {
  const until = new Date(T + 120 * S).toISOString()
  const held = (t: number, latencyMs: number, closedBy: 'client' | 'sandbox') =>
    call(t, {
      status: undefined,
      banned: true,
      stalled: true,
      banUntil: until,
      latencyMs,
      outcome: closedBy === 'client' ? 'client-closed' : 'server-closed',
      clientClosed: closedBy === 'client',
    })

  it('a client without timeout reconnecting as each 60 s hold is dropped fails, however few its calls', () => {
    const r = judge(banCheck, [held(0, 60 * S, 'sandbox'), held(60 * S + 5, 60 * S, 'sandbox')])
    expect(r.status).toBe('fail')
    expect(r.evidence[0]!.note).toMatch(/call 2 during a ban .*stop within 30 s/)
  })

  it('three attempts with a 5 s timeout and backoff, then silence, pass', () => {
    const r = judge(banCheck, [
      held(0, 5 * S, 'client'),
      held(6 * S, 5 * S, 'client'),
      held(13 * S, 5 * S, 'client'),
      call(121 * S),
    ])
    expect(r.status).toBe('pass')
  })

  it('calls are counted by arrival: a fourth call while three are held fails', () => {
    const r = judge(
      banCheck,
      [0, 100, 200, 300].map((t) => held(t, 60 * S, 'sandbox')),
    )
    expect(r.status).toBe('fail')
    expect(r.evidence[0]!.note).toMatch(/^call 4 during a ban/)
  })
})

describe('rule: network faults start backoff runs like 5xx', () => {
  const faults: Array<[string, Partial<JournalEntry>]> = [
    ['reset', { status: undefined, outcome: 'server-closed', notes: { fault: 'reset' } }],
    [
      'truncated',
      { status: 200, outcome: 'answered', notes: { fault: 'truncated at 256 of 512 bytes' } },
    ],
    [
      'dribbled',
      {
        status: 200,
        outcome: 'client-closed',
        clientClosed: true,
        notes: { fault: 'dribbled 32 bytes every 500 ms' },
      },
    ],
    [
      'hang',
      { status: undefined, outcome: 'client-closed', clientClosed: true, notes: { fault: 'hang' } },
    ],
  ]
  it.each(faults)(
    'a %s retried at once fails backoff; retried after a wait passes',
    (name, fault) => {
      const now = judge(backoffCheck, run(fault, [5]))
      expect(now.status).toBe('fail')
      expect(now.evidence[0]!.note).toMatch(new RegExp(`after a ${name}`))
      expect(judge(backoffCheck, run(fault, OWN_BACKOFF.got)).status).toBe('pass')
    },
  )
})

describe('rule: client timeouts are judged with the resolution of client timers', () => {
  const closedAt = (ms: number) =>
    call(0, {
      status: undefined,
      stalled: true,
      outcome: 'client-closed',
      clientClosed: true,
      clientClosedAfterMs: ms,
      latencyMs: ms,
    })
  it.each(Object.entries(CLOSES_HELD_CALL).filter(([name]) => !name.includes('default')))(
    '%s passes',
    (_, closes) => {
      expect(judge(timeoutsCheck, closes.map(closedAt)).status).toBe('pass')
    },
  )

  it("ky's default 10 s timeout fails on a JSON operation; the delay factor changes nothing", () => {
    const r = judge(timeoutsCheck, CLOSES_HELD_CALL['ky default timeout'].map(closedAt), 0.1)
    expect(r.status).toBe('fail')
    expect(r.evidence[0]!.note).toMatch(/closed a stalled json call after 10 s: limit 5 s/)
    expect(judge(timeoutsCheck, [closedAt(6_001)]).status).toBe('fail')
  })
})
