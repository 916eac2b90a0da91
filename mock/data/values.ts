/**
 * Value shaping shared by the heuristics and the generator: dates written the way the schema (or its
 * example) writes them, string formats, letter case copied from the example, example mutation.
 */
import type { Faker } from '@faker-js/faker'
import { luhnComplete } from './identifiers.js'
import type { SchemaNode } from './schema-node.js'
import { isoDay, randomDigits, referenceDate } from './seeded.js'

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** ISO 8601 in UTC without milliseconds noise: `2024-05-02T13:04:05.000Z`. */
const wholeSeconds = (d: Date): string =>
  new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString()

/** Date shapes recognised in examples, and how to write a date in each. */
const DATE_SHAPES: [RegExp, (d: Date) => string][] = [
  [/^\d{4}-\d{2}-\d{2}T/, (d) => wholeSeconds(d)],
  [/^\d{4}-\d{2}-\d{2}$/, isoDay],
  [/^\d{4}-\d{2}$/, (d) => isoDay(d).slice(0, 7)],
  [/^\d{2}-\d{4}$/, (d) => `${pad(d.getUTCMonth() + 1)}-${d.getUTCFullYear()}`],
  [/^\d{2}-\d{2}$/, (d) => `${pad(d.getUTCDate())}-${pad(d.getUTCMonth() + 1)}`],
  [
    /^\d{2}\/\d{2}\/\d{4}$/,
    (d) => `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`,
  ],
  [/^\d{8}$/, (d) => isoDay(d).replace(/-/g, '')],
  [/^\d{6}$/, (d) => isoDay(d).slice(0, 7).replace('-', '')],
  [/^\d{4}$/, (d) => String(d.getUTCFullYear())],
  [/^\d{9,10}$/, (d) => String(Math.floor(d.getTime() / 1000))],
  [/^\d{13}$/, (d) => String(d.getTime())],
]

/**
 * A date written for a schema node: Unix seconds for numbers (milliseconds when the example is in
 * milliseconds), the node's format for strings, else the shape of its example, else `YYYY-MM-DD`.
 * `null` stays `null` (the caller checks that the node accepts it).
 */
export function writeDate(date: Date | string | null, node: SchemaNode): unknown {
  if (date === null) return null
  const d = typeof date === 'string' ? new Date(date) : date
  const type = node.types[0]
  if (type === 'integer' || type === 'number') {
    const ms = typeof node.example === 'number' && Math.abs(node.example) > 1e11
    return ms ? d.getTime() : Math.floor(d.getTime() / 1000)
  }
  if (node.format === 'date-time') return wholeSeconds(d)
  if (node.format === 'date') return isoDay(d)
  if (typeof node.example === 'string') {
    for (const [shape, write] of DATE_SHAPES) if (shape.test(node.example)) return write(d)
  }
  return isoDay(d)
}

/** A random date between `yearsBefore` years before and `yearsAfter` years after the reference date. */
export function dateAround(faker: Faker, yearsBefore: number, yearsAfter = 0): Date {
  const year = 365.25 * 24 * 3600 * 1000
  const ref = referenceDate().getTime()
  return faker.date.between({ from: ref - yearsBefore * year, to: ref + yearsAfter * year })
}

/** A string for a known format, or `undefined` for a format this generator does not know. */
export function valueForFormat(
  format: string,
  faker: Faker,
  locale: 'fr' | 'en' = 'fr',
): string | undefined {
  // Domains of the contract's world: `.fr` for French public APIs, `example.com` names otherwise.
  const tld = locale === 'fr' ? 'fr' : 'com'
  const mailbox =
    locale === 'fr'
      ? ['contact', 'info', 'bonjour', 'admin']
      : ['hello', 'info', 'support', 'admin']
  switch (format) {
    case 'date':
      return isoDay(dateAround(faker, 5))
    case 'date-time':
      return wholeSeconds(dateAround(faker, 5))
    case 'time':
      return `${pad(faker.number.int(23))}:${pad(faker.number.int(59))}:00Z`
    case 'email':
    case 'idn-email':
      return `${faker.helpers.arrayElement(mailbox)}@${slugWord(faker)}.${tld}`
    case 'uri':
    case 'url':
    case 'iri':
    case 'uri-reference':
    case 'iri-reference':
      return `https://www.${slugWord(faker)}.${tld}/${faker.string.alphanumeric({ length: 8, casing: 'lower' })}`
    case 'hostname':
    case 'idn-hostname':
      return `www.${slugWord(faker)}.${tld}`
    case 'uuid':
      return faker.string.uuid()
    case 'ipv4':
      return faker.internet.ipv4()
    case 'ipv6':
      return faker.internet.ipv6()
    case 'byte':
      return Buffer.from(`document-${randomDigits(faker, 6)}`).toString('base64')
    case 'duration':
      return `P${faker.number.int({ min: 1, max: 30 })}D`
    case 'json-pointer':
      return `/data/${faker.number.int(9)}`
    case 'regex':
      return '^[a-z]+$'
    case 'boolean': // not a JSON Schema format, but contracts use it for "true"/"false" strings
      return String(faker.datatype.boolean())
    default:
      return undefined
  }
}

const slugWord = (faker: Faker): string => plainWord(faker, 'fr')

/** A word for made-up host names: plain French (or English), no accents. */
export function plainWord(faker: Faker, locale: 'fr' | 'en' | undefined): string {
  const list =
    locale === 'en'
      ? ['example', 'services', 'studio', 'partners', 'office']
      : ['exemple', 'services', 'conseil', 'atelier', 'groupe', 'bureau', 'reseau', 'solutions']
  return list[faker.number.int(list.length - 1)]!
}

const UPPER = /^[^a-z]*[A-Z][^a-z]*$/
const LOWER = /^[^A-Z]*[a-z][^A-Z]*$/
const TITLE = /^(\p{Lu}\p{Ll}*)([\s'-]+\p{Lu}\p{Ll}*)*$/u

/** Copies the letter case of `example` (all upper, all lower or Title Case) onto `value`. */
export function matchCase(value: string, example: unknown): string {
  if (typeof example !== 'string' || !/[a-z]/i.test(example) || /[@/:]/.test(value)) return value
  if (UPPER.test(example)) return value.toUpperCase()
  if (LOWER.test(example)) return value.toLowerCase()
  if (TITLE.test(example))
    return value.toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (m) => m.toUpperCase())
  return value
}

/**
 * A variant of a code-like example (`'RNCP10013'`, `'Q112379-8611'`): every digit redrawn, letters
 * and separators kept, so the value keeps the example's shape. A 9- or 14-digit example is read as
 * a SIREN or SIRET and gets a valid Luhn key.
 */
export function varyExample(example: string, faker: Faker): string {
  if (/^\d{9}$|^\d{14}$/.test(example)) {
    return luhnComplete(
      `${faker.number.int({ min: 1, max: 9 })}${randomDigits(faker, example.length - 2)}`,
    )
  }
  return example.replace(/\d/g, () => String(faker.number.int(9)))
}

/** Replaces the example's 14- and 9-digit runs (a SIRET, a SIREN) with the request's identifiers. */
export function withIdentifiers(example: string, siren: string, siret: string): string {
  return example.replace(/(?<!\d)(\d{14}|\d{9})(?!\d)/g, (run) =>
    run.length === 14 ? siret : siren,
  )
}
