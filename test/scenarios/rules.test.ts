import { describe, expect, it } from 'vitest'
import { DEFAULTS } from '../../mock/options.js'
import { loadScenarios } from '../../mock/scenarios/load-scenarios.js'
import { normalizeWhen } from '../../mock/scenarios/normalize-scenario.js'
import { parsePrefer } from '../../mock/scenarios/prefer.js'
import { fires, pickRule, unitDraw } from '../../mock/scenarios/rules.js'
import type { RequestFacts, Rule } from '../../mock/scenarios/types.js'

const rule = (when: Parameters<typeof normalizeWhen>[0], seed = 1): Rule => ({
  match: [],
  when: normalizeWhen(when)!,
  effect: { type: 'reset' },
  seed,
  index: 0,
  from: 'test',
})
const calls = (r: Rule, n: number, now = 0): number[] =>
  Array.from({ length: n }, (_, i) => i + 1).filter((k) => fires(r, k, now))
const FACTS: RequestFacts = {
  operationId: 'op',
  group: 'json',
  method: 'GET',
  identifiers: ['418166096'],
}

describe('when a rule fires', () => {
  it('fires from the Nth call, for N calls', () => {
    expect(calls(rule({ from_call: 3, calls: 2 }), 10)).toEqual([3, 4])
  })

  it('fires on every Nth call counted from from_call', () => {
    expect(calls(rule({ every: 4 }), 12)).toEqual([4, 8, 12])
    expect(calls(rule({ from_call: 3, every: 2 }), 9)).toEqual([4, 6, 8])
  })

  it('draws a seeded probability: the same seed fires on the same calls, another seed elsewhere', () => {
    const a = calls(rule({ probability: 0.2 }, 7), 1000)
    expect(calls(rule({ probability: 0.2 }, 7), 1000)).toEqual(a)
    expect(a.length).toBeGreaterThan(150)
    expect(a.length).toBeLessThan(250)
    expect(calls(rule({ probability: 0.2 }, 8), 1000)).not.toEqual(a)
  })

  it('fires within a window of the client clock, daily windows spanning midnight included', () => {
    const at = (iso: string): number => Date.parse(iso)
    const w = rule({ window: { from: '2030-01-01T00:00:00Z', until: '2030-01-02T00:00:00Z' } })
    expect(fires(w, 1, at('2030-01-01T12:00:00Z'))).toBe(true)
    expect(fires(w, 1, at('2030-01-02T00:00:00Z'))).toBe(false)
    const night = rule({ window: { from: '22:00', until: '02:00' } })
    expect(fires(night, 1, at('2030-05-05T23:30:00Z'))).toBe(true)
    expect(fires(night, 1, at('2030-05-05T01:59:00Z'))).toBe(true)
    expect(fires(night, 1, at('2030-05-05T12:00:00Z'))).toBe(false)
  })

  it('draws numbers in [0, 1)', () => {
    for (let i = 0; i < 1000; i++) {
      const u = unitDraw(i, i * 3, i * 7)
      expect(u).toBeGreaterThanOrEqual(0)
      expect(u).toBeLessThan(1)
    }
  })
})

describe('bundled scenario rules', () => {
  it('flaky-network meets each documented fault at about its documented rate, the same on every run', async () => {
    const flaky = (await loadScenarios([DEFAULTS.bundledScenarios], () => {})).get('flaky-network')!
    const counts: Record<string, number> = {}
    for (let k = 1; k <= 10_000; k++) {
      const type = pickRule(flaky, FACTS, k, 0)?.effect.type ?? 'none'
      counts[type] = (counts[type] ?? 0) + 1
    }
    // Rules are tried in order, so later ones only see calls the earlier ones let through.
    expect(counts.reset! / 10_000).toBeCloseTo(0.05, 1)
    expect(counts.truncate! / 10_000).toBeCloseTo(0.05 * 0.95, 1)
    expect(counts.dribble! / 10_000).toBeCloseTo(0.05 * 0.95 ** 2, 1)
    expect(counts.hang! / 10_000).toBeCloseTo(0.02, 1)
    expect(counts.latency! / 10_000).toBeCloseTo(0.3 * 0.85, 1)
  })

  it('a sequence plays its steps in order, each counted from its own start', async () => {
    const cert = (await loadScenarios([DEFAULTS.bundledScenarios], () => {})).get('all-incidents')!
    const types = Array.from(
      { length: 57 },
      (_, i) => pickRule(cert, FACTS, i + 1, 0)?.effect.type ?? '-',
    )
    expect(types.slice(0, 11)).toEqual([
      '-',
      '-',
      '-',
      'partial',
      'partial',
      '-',
      '-',
      '-',
      '-',
      'rate-limit',
      '-',
    ])
    expect(types[14]).toBe('provider-error')
    expect(types.slice(16, 18)).toEqual(['maintenance', 'maintenance'])
    expect(types[20]).toBe('provider-timeout')
    expect(types[30]).toBe('token-expired')
    expect(types[51]).toBe('ban')
    expect(pickRule(cert, FACTS, 58, 0)).toBeUndefined()
  })
})

describe('Prefer', () => {
  it('reads scenario= and code= among other preferences, quoted or not, any case', () => {
    expect(parsePrefer('return=minimal, Scenario="burst-429"; x=1')).toEqual({
      scenario: 'burst-429',
    })
    expect(parsePrefer(['respond-async', 'code=429'])).toEqual({ code: '429' })
    expect(parsePrefer(undefined)).toEqual({})
  })
})
