import { createRequire } from 'node:module'
import type { Faker } from '@faker-js/faker'

/**
 * faker's French or English locale, loaded when a value is first drawn: its definitions are a large
 * share of the code a start-up would otherwise compile and run (half a megabyte), and a sandbox
 * answering its health check or its admin API never needs them. Node (20.19 and later) loads an ES
 * module synchronously through `require`. The bundle (`scripts/bundle.mjs`) replaces this file by
 * one that requires both locales from a file of their own beside the bundle, so that the shipped
 * files need no `node_modules` and a start does not even parse faker.
 */
const load = createRequire(import.meta.url)

export function fakerLocale(lang: 'fr' | 'en'): Faker {
  const entry = (
    lang === 'en' ? load('@faker-js/faker/locale/en') : load('@faker-js/faker/locale/fr')
  ) as { faker: Faker }
  return entry.faker
}
