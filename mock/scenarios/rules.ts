import type { ClockTime, MatchSpec, RequestFacts, Rule, Scenario, Step, WhenSpec } from './types.js'

/** True when the request passes every match of the list. */
export function matchesAll(list: readonly MatchSpec[], facts: RequestFacts): boolean {
  for (const m of list) {
    if (m.operations && !m.operations.has(facts.operationId)) return false
    if (m.groups && (facts.group === undefined || !m.groups.has(facts.group))) return false
    if (m.methods && !m.methods.has(facts.method)) return false
    if (m.identifiers && !facts.identifiers.some((v) => m.identifiers!.has(v))) return false
  }
  return true
}

/**
 * A number in [0, 1) drawn from a seed and two integers: the same inputs give the same number on
 * every run and every machine (a 32-bit integer hash, murmur3's finaliser).
 */
export function unitDraw(seed: number, a: number, b: number): number {
  let h = (seed ^ Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32
}

const DAY = 86_400_000

/** Where an instant falls relative to a clock time: daily times compare minutes of the UTC day. */
function reached(t: ClockTime, nowMs: number): boolean {
  return 'at' in t ? nowMs >= t.at : Math.floor((nowMs % DAY) / 60_000) >= t.daily
}

function inWindow(w: NonNullable<WhenSpec['window']>, nowMs: number): boolean {
  const { from, until } = w
  // A daily window whose end is before its start spans midnight (22:00 to 02:00).
  if (from && until && 'daily' in from && 'daily' in until && until.daily < from.daily) {
    return reached(from, nowMs) || !reached(until, nowMs)
  }
  return (!from || reached(from, nowMs)) && (!until || !reached(until, nowMs))
}

/** True when a rule's `when` lets call number `k` (1-based) fire, at sandbox time `nowMs`. */
export function fires(rule: Rule, k: number, nowMs: number): boolean {
  const w = rule.when
  if (!w) return true
  const n = k - w.fromCall + 1
  if (n < 1) return false
  if (w.calls !== undefined && n > w.calls) return false
  if (w.every !== undefined && n % w.every !== 0) return false
  if (w.window && !inWindow(w.window, nowMs)) return false
  if (w.probability !== undefined && unitDraw(rule.seed, rule.index, k) >= w.probability)
    return false
  return true
}

/** The step of a scenario that call number `k` falls in, and `k` counted from that step's start. */
export function stepAt(scenario: Scenario, k: number): { step: Step; k: number } | undefined {
  let start = 0
  for (const step of scenario.steps) {
    if (step.calls === undefined || k <= start + step.calls) return { step, k: k - start }
    start += step.calls
  }
  return undefined
}

/**
 * The first rule of the scenario that fires for this call, if any. With `now` (a per-request
 * preference), rules' `when` is ignored and a sequence starts over once played to its end: the
 * scenario's effect applies to this very call.
 */
export function pickRule(
  scenario: Scenario,
  facts: RequestFacts,
  k: number,
  nowMs: number,
  now = false,
): Rule | undefined {
  if (now) {
    const length = scenarioLength(scenario)
    const at = stepAt(scenario, length ? ((k - 1) % length) + 1 : k)
    return at?.step.rules.find((r) => matchesAll(r.match, facts))
  }
  const at = stepAt(scenario, k)
  if (!at) return undefined
  return at.step.rules.find((r) => matchesAll(r.match, facts) && fires(r, at.k, nowMs))
}

/** Total calls a sequence lasts (`undefined`: forever). */
export function scenarioLength(scenario: Scenario): number | undefined {
  let total = 0
  for (const s of scenario.steps) {
    if (s.calls === undefined) return undefined
    total += s.calls
  }
  return total
}
