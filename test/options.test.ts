import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SandboxConfigError } from '../mock/errors.js'
import {
  DEFAULT_NO_FIXTURES,
  DEFAULTS,
  resolveOptions,
  type SandboxOptions,
} from '../mock/options.js'

/** The message resolveOptions refuses `options` with (fails the test when it accepts them). */
function refusal(options: unknown): string {
  try {
    resolveOptions(options as SandboxOptions)
  } catch (e) {
    expect(e).toBeInstanceOf(SandboxConfigError)
    return (e as Error).message
  }
  throw new Error(`accepted ${JSON.stringify(options)}`)
}

describe('resolveOptions', () => {
  it('applies every default from DEFAULTS', () => {
    const o = resolveOptions({ adminToken: 'a'.repeat(16) })
    expect(o.contract).toBe(DEFAULTS.contract)
    expect(o.fixtures).toBe(DEFAULTS.fixtures)
    expect(o.scenarios).toEqual([DEFAULTS.bundledScenarios])
    expect(o.seed).toBe(DEFAULTS.seed)
    expect(o.state).toBe(DEFAULTS.state)
    expect(o.tokens).toEqual(DEFAULTS.tokens)
    expect(o.lockout).toEqual(DEFAULTS.lockout)
    expect(o.ban).toEqual(DEFAULTS.ban)
    expect(o.journal).toEqual(DEFAULTS.journal)
    expect(o.console).toEqual(DEFAULTS.console)
    expect(o.callbacks).toEqual(DEFAULTS.callbacks)
    expect(o.enforceSunset).toBe(DEFAULTS.enforceSunset)
    expect(o.trustProxy).toBe(DEFAULTS.trustProxy)
    expect(o.publicUrl).toBe(DEFAULTS.publicUrl)
    expect(o.publicUrlFromHost).toBe(true)
    expect(o.adminToken).toBe('a'.repeat(16))
    // A generated admin token when none is given: 32 random bytes in hex.
    expect(resolveOptions().adminToken).toMatch(/^[0-9a-f]{64}$/)
  })

  it('merges a group given in part over its defaults, and starts another contract without the bundled cases', () => {
    const o = resolveOptions({ tokens: { lifetime: 60 }, contract: 'elsewhere.yaml' })
    expect(o.tokens).toEqual({ ...DEFAULTS.tokens, lifetime: 60 })
    expect(o.contract).toBe(resolve('elsewhere.yaml'))
    expect(o.fixtures).toBe(DEFAULT_NO_FIXTURES)
    expect(resolveOptions({ contract: DEFAULTS.contract }).fixtures).toBe(DEFAULTS.fixtures)
  })

  it('deep-freezes its result without freezing what the caller passed', () => {
    const hosts = ['127.0.0.1', 'receiver.test']
    const o = resolveOptions({ callbacks: { allowedHosts: hosts } })
    expect(Object.isFrozen(o)).toBe(true)
    for (const group of [o.tokens, o.lockout, o.ban, o.journal, o.console, o.callbacks])
      expect(Object.isFrozen(group)).toBe(true)
    expect(Object.isFrozen(o.callbacks.allowedHosts)).toBe(true)
    expect(Object.isFrozen(o.scenarios)).toBe(true)
    expect(() => {
      ;(o.tokens as { lifetime: number }).lifetime = 1
    }).toThrow(TypeError)
    expect(() => {
      ;(o.callbacks.allowedHosts as string[]).push('evil.test')
    }).toThrow(TypeError)
    expect(o.tokens.lifetime).toBe(DEFAULTS.tokens.lifetime)
    // The caller's own array stays theirs to change.
    hosts.push('later.test')
    expect(o.callbacks.allowedHosts).toEqual(['127.0.0.1', 'receiver.test'])
  })

  it('keeps DEFAULTS frozen all the way down', () => {
    expect(Object.isFrozen(DEFAULTS)).toBe(true)
    expect(Object.isFrozen(DEFAULTS.tokens)).toBe(true)
    expect(Object.isFrozen(DEFAULTS.tuning)).toBe(true)
    expect(Object.isFrozen(DEFAULTS.callbacks.allowedHosts)).toBe(true)
    expect(() => {
      ;(DEFAULTS.tuning as { maxBodyBytes: number }).maxBodyBytes = 1
    }).toThrow(TypeError)
  })

  it('checks the journal sizes itself', () => {
    expect(refusal({ journal: { memoryEntries: 0 } })).toBe(
      'option journal.memoryEntries must be at least 1, got 0',
    )
    expect(refusal({ journal: { rotateBytes: -5 } })).toMatch(
      /journal\.rotateBytes must be a whole number >= 0/,
    )
  })

  it('refuses a misspelt option inside a group, naming the known ones', () => {
    expect(refusal({ tokens: { lifeTime: 60 } })).toMatch(
      /^option tokens\.lifeTime is unknown; known: lifetime, minLifetime, /,
    )
    expect(refusal({ ban: 3 })).toMatch(/option ban must be an object of settings/)
  })

  it('refuses values of the wrong kind, saying what is expected', () => {
    expect(refusal({ tokens: { algorithm: 'HS256' } })).toBe(
      "option tokens.algorithm must be 'ES256', 'RS256', 'EdDSA', got HS256",
    )
    expect(refusal({ auth: 'no' })).toBe('option auth must be true or false, got no')
    expect(refusal({ journal: { enabled: 1 } })).toMatch(/journal\.enabled must be true or false/)
    expect(refusal({ trustProxy: 'yes' })).toMatch(/trustProxy must be true or false/)
    expect(refusal({ delayFactor: '0.5' })).toMatch(/delayFactor must be a number >= 0/)
    expect(refusal({ locale: 'de' })).toBe("option locale must be 'fr', 'en', got de")
    expect(refusal({ fixtureCheck: 'loud' })).toMatch(
      /fixtureCheck must be 'summary', 'warn', 'error'/,
    )
    expect(refusal({ state: '' })).toBe('option state must be a non-empty string, got ')
    expect(refusal({ now: 5 })).toBe('option now must be a function, got 5')
    expect(refusal({ callbacks: { allowedHosts: 'localhost' } })).toMatch(
      /callbacks\.allowedHosts must be a list of host names/,
    )
    expect(refusal({ console: { signup: 'maybe' } })).toMatch(/console\.signup must be 'open'/)
    expect(refusal({ publicUrl: 'ftp://x' })).toBe(
      'option publicUrl must be an http(s) URL, got ftp://x',
    )
    expect(refusal({ nullRate: 2 })).toBe('option nullRate must be a number from 0 to 1, got 2')
    expect(refusal({ stateKey: 'short' })).toMatch(
      /stateKey\) must be at least 16 characters long \(got 5\)/,
    )
    expect(refusal({ adminToken: 'short' })).toBe(
      'option adminToken must be at least 16 characters long',
    )
  })

  it('keeps idle connections past a load balancer idle timeout, the headers timeout above', () => {
    const o = resolveOptions({ adminToken: 'a'.repeat(16) })
    expect([o.keepAliveTimeout, o.headersTimeout]).toEqual([65, 66])
    expect(DEFAULTS.keepAliveTimeout).toBe(65)
    const longer = resolveOptions({ adminToken: 'a'.repeat(16), keepAliveTimeout: 350 })
    expect([longer.keepAliveTimeout, longer.headersTimeout]).toEqual([350, 351])
    expect(refusal({ keepAliveTimeout: 0 })).toBe(
      'option keepAliveTimeout must be from 1 to 86400 seconds, got 0',
    )
    expect(refusal({ keepAliveTimeout: 1.5 })).toMatch(/keepAliveTimeout must be a whole number/)
    expect(refusal({ keepAliveTimeout: 60, headersTimeout: 60 })).toBe(
      'option headersTimeout (60 s) must be above keepAliveTimeout (60 s), as usual behind a load balancer',
    )
  })

  it('takes a reference day only as a calendar day that exists', () => {
    expect(resolveOptions({ adminToken: 'a'.repeat(16) }).referenceDay).toBeUndefined()
    expect(
      resolveOptions({ adminToken: 'a'.repeat(16), referenceDay: '2028-02-29' }).referenceDay,
    ).toBe('2028-02-29')
    for (const bad of ['2027-02-29', '2026-12-3', '1969-12-31', 'today', 20261203])
      expect(refusal({ referenceDay: bad })).toBe(
        `option referenceDay must be a day written YYYY-MM-DD from 1970 on, got ${bad}`,
      )
  })

  it('refuses token lifetimes outside their bounds', () => {
    expect(refusal({ tokens: { lifetime: 5 } })).toBe(
      'option tokens.lifetime (5 s) is below tokens.minLifetime (10 s)',
    )
    expect(refusal({ tokens: { lifetime: 90_000 } })).toBe(
      'option tokens.lifetime (90000 s) is above tokens.maxLifetime (86400 s)',
    )
    expect(refusal({ tokens: { portalLifetime: 0 } })).toMatch(
      /tokens\.portalLifetime \(0 s\) must be from 1 s/,
    )
  })
})
