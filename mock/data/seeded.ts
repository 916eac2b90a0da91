/**
 * Deterministic randomness: every generated value derives from a global seed number and the strings
 * that identify what is generated (operation, identifier, parameters). Output never depends on the
 * clock or the machine: dates are computed from {@link REFERENCE_DATE}.
 */
import { Faker, base, fr } from '@faker-js/faker'

/** The fixed "now" of every generated date (faker's `refDate`). */
export const REFERENCE_DATE = new Date('2026-01-01T00:00:00Z')

/**
 * Derives a 32-bit unsigned seed from a seed number and any strings, with cyrb53 (a fast, well
 * mixed, stable string hash). Parts are separated so that `('ab', 'c')` and `('a', 'bc')` differ.
 */
export function deriveSeed(seed: number, ...parts: readonly string[]): number {
  let h1 = 0xdeadbeef ^ (seed >>> 0)
  let h2 = 0x41c6ce57 ^ Math.floor(seed / 0x100000000)
  for (const part of parts) {
    for (let i = 0; i <= part.length; i++) {
      // Code 0x1f (unit separator) ends each part.
      const c = i < part.length ? part.charCodeAt(i) : 0x1f
      h1 = Math.imul(h1 ^ c, 2654435761)
      h2 = Math.imul(h2 ^ c, 1597334677)
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (h1 ^ h2) >>> 0
}

/** Creates a French faker (`fr` with `base` fallback). Reuse it and reseed it: creating one is slow. */
export function createFrenchFaker(): Faker {
  return new Faker({ locale: [fr, base] })
}

/**
 * A reusable French faker that is reseeded for each key. Each module owns its own instance, so that
 * a nested computation (a memoised company, say) never shifts the sequence of its caller.
 */
export interface SeededFaker {
  /** Reseeds the shared instance for `(seed, ...parts)` and returns it. */
  forKey(seed: number, ...parts: readonly string[]): Faker
}

/** Builds a {@link SeededFaker} around one French faker instance. */
export function createSeededFaker(): SeededFaker {
  const faker = createFrenchFaker()
  return {
    forKey(seed, ...parts) {
      faker.seed(deriveSeed(seed, ...parts))
      return faker
    },
  }
}

/** A date between `yearsBack` years before {@link REFERENCE_DATE} and `yearsBack - span` years. */
export function pastDate(faker: Faker, yearsBack: number, span = yearsBack): Date {
  const year = 365.25 * 24 * 3600 * 1000
  const to = REFERENCE_DATE.getTime() - (yearsBack - span) * year
  const from = REFERENCE_DATE.getTime() - yearsBack * year
  return faker.date.between({ from, to })
}

/** `YYYY-MM-DD` of a date, in UTC. */
export const isoDay = (date: Date): string => date.toISOString().slice(0, 10)
