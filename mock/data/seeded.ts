/**
 * Deterministic randomness: every generated value derives from a global seed number and the strings
 * that identify what is generated (operation, identifier, parameters). Output never depends on the
 * machine, nor on the clock during a run: dates are computed from the reference day of the generator
 * at work ({@link referenceDate}), fixed when the generator is made.
 */
import type { Faker, Randomizer } from '@faker-js/faker'
import { fakerLocale } from './faker-locale.js'

// The package root loads every locale; faker's French entry loads only French (with its English and
// base fallbacks), and only when a value is first drawn (see `faker-locale.ts`). Its instance is
// shared with whoever imports it, so the sandbox builds its own from the same class and definitions.
const fakerOf = (lang: 'fr' | 'en'): Faker => {
  const { Faker, definitions } = fakerLocale(lang)
  return new Faker({ locale: definitions, randomizer: createFastRandomizer() })
}

/** The reference day of a generator made without one (a fixed day, for tests and scripts). */
export const REFERENCE_DATE = new Date('2026-01-01T00:00:00Z')

let currentDay = REFERENCE_DATE

/** "Today" for the data being drawn: the reference day of the generator at work. */
export const referenceDate = (): Date => currentDay

/** The UTC midnight that begins the day of `ms`. */
export const dayOf = (ms: number): Date => new Date(Math.floor(ms / 86_400_000) * 86_400_000)

/**
 * Runs `draw` with `day` as today. A generator wraps each of its entry points in it; drawing is
 * synchronous, so no other generator's draw runs in between.
 */
export function onDay<T>(day: Date, draw: () => T): T {
  const before = currentDay
  currentDay = day
  try {
    return draw()
  } finally {
    currentDay = before
  }
}

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

/**
 * A small-state randomizer (sfc32, 128 bits of state): reseeding costs well under a microsecond,
 * where faker's Mersenne Twister takes about 60 µs, which a body per request cannot afford.
 * Values are 53-bit floats, as faker expects.
 */
export function createFastRandomizer(): Randomizer {
  let a = 0
  let b = 0
  let c = 0
  let d = 0
  const next32 = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  return {
    next: () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992,
    seed(seed) {
      // splitmix32 spreads the seed over the four state words; a few rounds mix them.
      let s = 0x9e3779b9
      for (const part of Array.isArray(seed) ? seed : [seed])
        s = Math.imul(s ^ (part >>> 0), 0x85ebca6b)
      const mix = (): number => {
        s = (s + 0x9e3779b9) | 0
        let z = s
        z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
        z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
        return z ^ (z >>> 15)
      }
      a = mix()
      b = mix()
      c = mix()
      d = mix()
      for (let i = 0; i < 12; i++) next32()
    },
  }
}

/** Creates a French faker (`fr` with `base` fallback) on the fast randomizer. Reuse it, reseed it. */
export function createFrenchFaker(): Faker {
  return fakerOf('fr')
}

/**
 * A reusable French faker that is reseeded for each key. Each module owns its own instance, so that
 * a nested computation (a memoised company, say) never shifts the sequence of its caller.
 */
export interface SeededFaker {
  /** Reseeds the shared instance for `(seed, ...parts)` and returns it. */
  forKey(seed: number, ...parts: readonly string[]): Faker
}

/**
 * Builds a {@link SeededFaker} around one French (or English) faker instance, made when the first
 * value is drawn: a module may hold one from its start without loading faker's locale.
 */
export function createSeededFaker(locale: 'fr' | 'en' = 'fr'): SeededFaker {
  let faker: Faker | undefined
  return {
    forKey(seed, ...parts) {
      faker ??= fakerOf(locale)
      faker.seed(deriveSeed(seed, ...parts))
      return faker
    },
  }
}

/** A date between `yearsBack` years before the reference day and `yearsBack - span` years. */
export function pastDate(faker: Faker, yearsBack: number, span = yearsBack): Date {
  const year = 365.25 * 24 * 3600 * 1000
  const now = referenceDate().getTime()
  const to = now - (yearsBack - span) * year
  const from = now - yearsBack * year
  return faker.date.between({ from, to })
}

/** `YYYY-MM-DD` of a date, in UTC. */
export const isoDay = (date: Date): string => date.toISOString().slice(0, 10)

/** `n` random digits (faster than `faker.string.numeric`, which validates its options each call). */
export function randomDigits(faker: Faker, n: number): string {
  let out = ''
  for (let i = 0; i < n; i++) out += String(faker.number.int(9))
  return out
}
