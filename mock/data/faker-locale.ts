import { createRequire } from 'node:module'
import type { Faker, LocaleDefinition, Randomizer } from '@faker-js/faker'

/** faker's class, built on a locale's definitions. */
export type FakerClass = new (options: {
  locale: LocaleDefinition
  randomizer?: Randomizer
}) => Faker

/** What a faker of one language is made of: faker's class and the language's definitions. */
export interface FakerLocale {
  readonly Faker: FakerClass
  /** The language's definitions merged with its fallbacks (English, then faker's base). */
  readonly definitions: LocaleDefinition
}

/**
 * faker's French or English locale, loaded when a value is first drawn: its definitions are a large
 * share of the code a start-up would otherwise compile and run (half a megabyte), and a sandbox
 * answering its health check or its admin API never needs them. Node (20.19 and later) loads an ES
 * module synchronously through `require`. The bundle (`scripts/bundle.mjs`) replaces this file by
 * one that requires faker's class from a file of its own beside the bundle, and reads each category
 * of definitions (person, location, ...) from a JSON file beside it when a value first needs that
 * category: a start does not parse faker, and a first answer parses only the categories it draws.
 */
const load = createRequire(import.meta.url)

export function fakerLocale(lang: 'fr' | 'en'): FakerLocale {
  const { faker } = (
    lang === 'en' ? load('@faker-js/faker/locale/en') : load('@faker-js/faker/locale/fr')
  ) as { faker: Faker }
  return { Faker: faker.constructor as FakerClass, definitions: faker.rawDefinitions }
}
