import { describe, expect, it } from 'vitest'
import { leastPrivilegeCheck } from '../../mock/report/check-least-privilege.js'
import { noBrowserCheck } from '../../mock/report/check-no-browser.js'
import { singleUseCheck } from '../../mock/report/check-single-use.js'
import { timeoutsCheck } from '../../mock/report/check-timeouts.js'
import { tokenExpiryCheck } from '../../mock/report/check-token-expiry.js'
import { tokenReuseCheck } from '../../mock/report/check-token-reuse.js'
import { traceabilityCheck } from '../../mock/report/check-traceability.js'
import { makeEntry } from '../journal/make-entry.js'
import { judge } from './judge.js'

const T = Date.UTC(2025, 0, 6, 9)
const S = 1000
const LIFE = 300 * S
const iso = (t: number): string => new Date(T + t).toISOString()
const token = (t: number, jti: string, extra: Parameters<typeof makeEntry>[0] = {}) =>
  makeEntry({
    t: T + t,
    kind: 'token',
    method: 'POST',
    path: '/oauth/token',
    operation: undefined,
    jti,
    scopes: ['unites_legales_etablissements_insee'],
    tokenExpiresAt: iso(t + LIFE),
    ...extra,
  })
const call = (t: number, jti: string, extra: Parameters<typeof makeEntry>[0] = {}) =>
  makeEntry({
    t: T + t,
    jti,
    authMode: 'bearer',
    scopes: ['unites_legales_etablissements_insee'],
    privileges: ['unites_legales_etablissements_insee'],
    context: 'Marchés publics',
    recipient: '13002526500013',
    object: 'marché 127',
    ...extra,
  })

describe('verdict check: reuses an access token until near its expiry', () => {
  it('passes when one token serves many calls and the next comes near expiry', () => {
    const r = judge(tokenReuseCheck, [
      token(0, 'a'),
      call(S, 'a'),
      call(100 * S, 'a'),
      token(260 * S, 'b'),
      call(261 * S, 'b'),
    ])
    expect(r.status).toBe('pass')
    expect(r.evidence.map((e) => e.note)).toEqual([
      'first token, used 2 times',
      'new token: the previous token had 40 s left',
    ])
  })

  it('fails with a token per call, citing each premature token', () => {
    const r = judge(tokenReuseCheck, [
      token(0, 'a'),
      call(S, 'a'),
      token(2 * S, 'b'),
      call(3 * S, 'b'),
      token(4 * S, 'c'),
      call(5 * S, 'c'),
    ])
    expect(r.status).toBe('fail')
    expect(r.evidence).toHaveLength(2)
    expect(r.evidence[0]!.note).toMatch(
      /new token while the previous one \(a, used 1 time\) still had 5 min to live/,
    )
  })

  it('accepts a new token after the previous was refused, expired, or single-use', () => {
    expect(
      judge(tokenReuseCheck, [
        token(0, 'a'),
        call(S, 'a', { status: 401, code: '00103' }),
        token(2 * S, 'b'),
        call(3 * S, 'b'),
      ]).status,
    ).toBe('pass')
    expect(
      judge(tokenReuseCheck, [token(0, 'a'), call(S, 'a'), token(301 * S, 'b'), call(302 * S, 'b')])
        .status,
    ).toBe('pass')
    expect(
      judge(tokenReuseCheck, [
        token(0, 'a', { singleUse: true }),
        call(S, 'a'),
        token(2 * S, 'b', { singleUse: true }),
        call(3 * S, 'b'),
      ]).status,
    ).toBe('pass')
  })

  it('compares tokens of the same scopes only', () => {
    const other = { scopes: ['open_data'] }
    expect(
      judge(tokenReuseCheck, [
        token(0, 'a'),
        call(S, 'a'),
        token(2 * S, 'b', other),
        call(3 * S, 'b', other),
      ]).status,
    ).toBe('pass')
  })

  it('is not exercised with a single call', () => {
    expect(judge(tokenReuseCheck, [token(0, 'a'), call(S, 'a')]).status).toBe('not-exercised')
  })
})

describe('verdict check: re-authenticates on expiry', () => {
  it('passes when a token refused as expired is never presented again', () => {
    const r = judge(tokenExpiryCheck, [
      call(0, 'a'),
      call(S, 'a', { status: 401, code: '00103' }),
      call(2 * S, 'b'),
    ])
    expect(r.status).toBe('pass')
  })

  it('passes, exercised, when the client renews a token that ran out while it kept calling', () => {
    const r = judge(tokenExpiryCheck, [
      token(0, 'a'),
      call(S, 'a'),
      token(400 * S, 'b'),
      call(401 * S, 'b'),
    ])
    expect(r.status).toBe('pass')
    expect(r.evidence[0]!.note).toBe('first call after token a expired, with a new token')
  })

  it('fails when the client retries with the token refused as expired', () => {
    const r = judge(tokenExpiryCheck, [
      call(0, 'a', { status: 401, code: '00103' }),
      call(10, 'a', { status: 401, code: '00103' }),
    ])
    expect(r.status).toBe('fail')
    expect(r.evidence[0]!.note).toBe(
      'presented again a token already expired or refused as expired',
    )
  })

  it('is not exercised while every token is still valid', () => {
    expect(judge(tokenExpiryCheck, [token(0, 'a'), call(S, 'a')]).status).toBe('not-exercised')
  })
})

describe('verdict check: never reuses a single-use token', () => {
  it('passes when each single-use token is presented once', () => {
    expect(
      judge(singleUseCheck, [
        token(0, 'a', { singleUse: true }),
        call(S, 'a'),
        token(2 * S, 'b', { singleUse: true }),
        call(3 * S, 'b'),
      ]).status,
    ).toBe('pass')
  })

  it('fails on a second presentation, known from the issuance or from the consuming call', () => {
    expect(
      judge(singleUseCheck, [
        token(0, 'a', { singleUse: true }),
        call(S, 'a'),
        call(2 * S, 'a', { status: 401, code: '00103' }),
      ]).status,
    ).toBe('fail')
    const r = judge(singleUseCheck, [
      call(S, 'a', { singleUse: true }),
      call(2 * S, 'a', { status: 401 }),
    ])
    expect(r.evidence[0]!.note).toBe('single-use token a presented again (use 2)')
  })

  it('is not exercised with ordinary tokens', () => {
    expect(judge(singleUseCheck, [call(0, 'a'), call(1, 'a')]).status).toBe('not-exercised')
  })
})

describe('verdict check: sends valid traceability parameters', () => {
  it('passes when every call carries valid context, recipient and object', () => {
    expect(
      judge(traceabilityCheck, [call(0, 'a'), call(1, 'a', { recipient: '35600000000060' })])
        .status,
    ).toBe('pass')
  })

  it('fails naming what is missing or invalid on each call', () => {
    const r = judge(traceabilityCheck, [
      call(0, 'a', { context: undefined }),
      call(1, 'a', { recipient: '13002526500014' }),
      call(2, 'a', { recipient: '1300252650001' }),
      call(3, 'a', { object: 'x'.repeat(51) }),
      call(4, 'a', { object: '  ' }),
    ])
    expect(r.status).toBe('fail')
    expect(r.evidence.map((e) => e.note)).toEqual([
      'context missing',
      'recipient 13002526500014 is not a SIRET (wrong check digit)',
      'recipient 1300252650001 is not a SIRET (14 digits expected)',
      'object is 51 characters long (at most 50)',
      'object missing',
    ])
  })

  it('ignores operations that take no traceability parameters', () => {
    expect(
      judge(traceabilityCheck, [
        call(0, 'a', { operation: 'api_entreprise_privileges', context: undefined }),
      ]).status,
    ).toBe('not-exercised')
  })
})

describe('verdict check: sets client timeouts', () => {
  const stalled = (extra: Parameters<typeof makeEntry>[0]) =>
    call(0, 'a', { stalled: true, status: undefined, ...extra })

  it('passes when the client closes a hung JSON call within 5 s and a document call within 12 s', () => {
    const r = judge(timeoutsCheck, [
      stalled({
        outcome: 'client-closed',
        clientClosed: true,
        clientClosedAfterMs: 5 * S,
        latencyMs: 5 * S,
      }),
      stalled({
        operation: 'api_entreprise_v4_acoss_attestations_sociales',
        outcome: 'client-closed',
        clientClosed: true,
        clientClosedAfterMs: 11 * S,
        latencyMs: 11 * S,
      }),
    ])
    expect(r.status).toBe('pass')
  })

  it('judges real durations, never scaled by the delay factor', () => {
    const closedAfter = (ms: number) =>
      stalled({
        outcome: 'client-closed',
        clientClosed: true,
        clientClosedAfterMs: ms,
        latencyMs: ms,
      })
    const r = judge(timeoutsCheck, [closedAfter(45)], 0.01)
    expect(r.status).toBe('pass')
    expect(r.evidence[0]!.note).toBe('closed a stalled json call after 45 ms')
    expect(judge(timeoutsCheck, [closedAfter(7 * S)], 0.01).status).toBe('fail')
  })

  it('fails when the client waits for a late answer or until the sandbox closes the connection', () => {
    const r = judge(timeoutsCheck, [
      stalled({ status: 504, outcome: 'answered', latencyMs: 10 * S }),
      stalled({ outcome: 'server-closed', latencyMs: 60 * S }),
      stalled({
        outcome: 'client-closed',
        clientClosed: true,
        clientClosedAfterMs: 30 * S,
        latencyMs: 30 * S,
      }),
    ])
    expect(r.status).toBe('fail')
    expect(r.evidence.map((e) => e.note)).toEqual([
      'waited 10 s on a stalled json call until the answer came: limit 5 s',
      'waited 60 s on a stalled json call until the sandbox closed the connection: limit 5 s',
      'closed a stalled json call after 30 s: limit 5 s',
    ])
  })

  it('is not exercised when no stalled call reached the limit', () => {
    expect(
      judge(timeoutsCheck, [
        stalled({ status: 200, outcome: 'answered', latencyMs: 2 * S }),
        call(0, 'a'),
      ]).status,
    ).toBe('not-exercised')
  })
})

describe('verdict check: never calls from a browser', () => {
  it('passes without Origin and fails on a call or token request carrying one', () => {
    expect(judge(noBrowserCheck, [token(0, 'a'), call(S, 'a')]).status).toBe('pass')
    const r = judge(noBrowserCheck, [
      token(0, 'a', { origin: 'https://app.example' }),
      call(S, 'a', { origin: 'https://app.example' }),
    ])
    expect(r.status).toBe('fail')
    expect(r.evidence.map((e) => e.note)).toEqual([
      'token request from a browser: Origin https://app.example',
      'call from a browser: Origin https://app.example',
    ])
  })
})

describe('verdict check: least privilege', () => {
  it('passes when every privilege carried authorised a call or unlocked a field', () => {
    const scopes = ['unites_legales_etablissements_insee', 'unites_legales_donnees_protegees']
    const r = judge(leastPrivilegeCheck, [
      token(0, 'a', { scopes }),
      call(S, 'a', { scopes, fieldScopes: ['unites_legales_donnees_protegees'] }),
    ])
    expect(r.status).toBe('pass')
  })

  it('fails listing each privilege carried that no call needed', () => {
    const scopes = ['unites_legales_etablissements_insee', 'attestation_fiscale_dgfip', 'open_data']
    const r = judge(leastPrivilegeCheck, [token(0, 'a', { scopes }), call(S, 'a', { scopes })])
    expect(r.status).toBe('fail')
    expect(r.summary).toBe(
      'Carried 2 privileges no call needed: attestation_fiscale_dgfip, open_data (needed: unites_legales_etablissements_insee).',
    )
    expect(r.evidence.map((e) => e.note)).toEqual([
      'carried attestation_fiscale_dgfip, which no call needed',
      'carried open_data, which no call needed',
    ])
  })

  it('is not exercised without a credential carrying privileges', () => {
    expect(judge(leastPrivilegeCheck, [makeEntry()]).status).toBe('not-exercised')
  })
})
