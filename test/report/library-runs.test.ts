import { describe, expect, it } from 'vitest'
import { backoffCheck } from '../../mock/report/check-backoff.js'
import { retryAfterCheck } from '../../mock/report/check-retry-after.js'
import { timeoutsCheck } from '../../mock/report/check-timeouts.js'
import { tokenExpiryCheck } from '../../mock/report/check-token-expiry.js'
import { tokenReuseCheck } from '../../mock/report/check-token-reuse.js'
import type { Check } from '../../mock/report/report-types.js'
import { judge } from './judge.js'
import { recording, RECORDINGS } from './library-timings.js'

/**
 * The verdict on the recorded journals of real libraries (scripts/record-library-runs.mjs): what a
 * library author would agree with. Each recording is judged whole, as the report judges a client.
 */
const verdicts: Array<[string, Check, 'pass' | 'fail']> = [
  // Their own backoff after 504s: every library's defaults pass; retrying at once fails.
  ['got defaults after 504s', backoffCheck, 'pass'],
  ['ky defaults after 504s', backoffCheck, 'pass'],
  ['axios-retry exponentialDelay after 504s', backoffCheck, 'pass'],
  ['undici RetryAgent defaults after 504s', backoffCheck, 'pass'],
  ['p-retry retries 5 after 504s', backoffCheck, 'pass'],
  ['naive fetch loop after 504s', backoffCheck, 'fail'],
  // A 503 asking for 2 s, twice: honouring it (with timer jitter) passes both rules.
  ['got defaults, 503 Retry-After', retryAfterCheck, 'pass'],
  ['got defaults, 503 Retry-After', backoffCheck, 'pass'],
  ['ky defaults, 503 Retry-After', retryAfterCheck, 'pass'],
  ['ky defaults, 503 Retry-After', backoffCheck, 'pass'],
  ['axios-retry exponentialDelay, 503 Retry-After', retryAfterCheck, 'pass'],
  ['axios-retry exponentialDelay, 503 Retry-After', backoffCheck, 'pass'],
  ['undici RetryAgent defaults, 503 Retry-After', retryAfterCheck, 'pass'],
  ['undici RetryAgent defaults, 503 Retry-After', backoffCheck, 'pass'],
  // Held calls: a 5 s timeout passes whatever the library's timer resolution; ky's 10 s default fails.
  ['got timeout.request 5000', timeoutsCheck, 'pass'],
  ['ky timeout 5000', timeoutsCheck, 'pass'],
  ['axios timeout 5000', timeoutsCheck, 'pass'],
  ['undici headersTimeout 5000', timeoutsCheck, 'pass'],
  ['ky default timeout', timeoutsCheck, 'fail'],
  // Tokens living 10 s: renewing before expiry, or once refused, passes token-expiry.
  ['simple-oauth2 expired(2)', tokenExpiryCheck, 'pass'],
  ['simple-oauth2 expired(2)', tokenReuseCheck, 'pass'],
  ['openid-client clientCredentialsGrant per call', tokenExpiryCheck, 'pass'],
  // With 10 s tokens every token is within the near-expiry bound (60 s): a new one is never premature...
  ['openid-client clientCredentialsGrant per call', tokenReuseCheck, 'pass'],
  // ...with 5-minute tokens, a token per call is.
  ['openid-client clientCredentialsGrant per call, 5-minute tokens', tokenReuseCheck, 'fail'],
  ['naive fetch cache until refused', tokenExpiryCheck, 'pass'],
  ['naive fetch cache until refused', tokenReuseCheck, 'pass'],
]

describe('the verdict on recorded runs of real client libraries', () => {
  it('holds a recording for every library the verdict is checked against', () => {
    expect(new Set(RECORDINGS.map((r) => r.library))).toEqual(
      new Set([
        'got',
        'ky',
        'axios',
        'axios-retry',
        'undici',
        'p-retry',
        'simple-oauth2',
        'openid-client',
        'naive fetch',
      ]),
    )
  })

  it.each(verdicts)('%s: %s', (name, check, expected) => {
    const r = judge(check, recording(name).entries)
    expect(r.status, JSON.stringify(r.evidence.slice(0, 3))).toBe(expected)
  })

  it('the recorded situations played as intended: failures first, then the answer', () => {
    const statuses = (name: string) =>
      recording(name)
        .entries.filter((e) => e.kind === 'api')
        .map((e) => e.status ?? 0)
    expect(statuses('got defaults after 504s')).toEqual([504, 504, 200])
    expect(statuses('undici RetryAgent defaults, 503 Retry-After')).toEqual([503, 503, 200])
    // A held call has no status: the library closed it.
    expect(
      recording('undici headersTimeout 5000').entries.every((e) => e.clientClosed && !e.status),
    ).toBe(true)
  })
})
