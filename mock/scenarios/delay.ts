import { unitDraw } from './rules.js'
import type { DelaySpec } from './types.js'

/**
 * Draws a delay, ms (before the `delayFactor` scale): fixed, uniform in `[min, max]`, or normal
 * (`mean`, `stddev`, never below 0). The draw depends on the seed and the call number only, so the
 * same run gets the same latencies.
 */
export function drawDelay(spec: DelaySpec, seed: number, a: number, b: number): number {
  if ('fixed' in spec) return spec.fixed
  const u = unitDraw(seed, a, b)
  if ('min' in spec) return spec.min + u * Math.max(0, spec.max - spec.min)
  // Box-Muller: two uniform draws make one normal one.
  const v = unitDraw(seed ^ 0x5bd1e995, a, b)
  const z = Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v)
  return Math.max(0, spec.mean + z * spec.stddev)
}

/**
 * A real wait. Scenario delays (the 504 provider wait, latency, dribbling) are real time on purpose:
 * the client's own timeouts are what they test. `delayFactor` shrinks them for CI; tests use vitest's
 * fake timers (the global `setTimeout` is used for that reason) or a tiny factor.
 */
export function wait(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve()
  return new Promise((resolve) => setTimeout(resolve, ms))
}
