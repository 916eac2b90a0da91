import { createRequire } from 'node:module'
import type { Ajv, ErrorObject } from 'ajv'
import type { Ajv2020 } from 'ajv/dist/2020.js'

/** The JSON Schema validator and what the sandbox adds to it. */
export interface AjvLib {
  /** ajv for draft-07 (OpenAPI 3.0 contracts and the sandbox's own schemas). */
  Ajv: typeof Ajv
  /** ajv for 2020-12 (OpenAPI 3.1 contracts). */
  Ajv2020: typeof Ajv2020
  /** ajv-formats: `date`, `email`, `uri`... */
  addFormats: (ajv: Ajv) => Ajv
  /** ajv-i18n's French messages, written into the errors given. */
  localizeFr: (errors?: ErrorObject[] | null) => void
}

const load = createRequire(import.meta.url)
let lib: AjvLib | undefined

// ajv-formats and ajv-i18n are CommonJS modules whose function may come wrapped under `default`.
const unwrap = <T>(m: unknown): T => ((m as { default?: T }).default ?? m) as T

/**
 * ajv and its companions, loaded on first use through Node's synchronous `require`: a start that
 * finds its contract, rate table and scenarios in the start-up cache compiles no schema, and would
 * otherwise compile and run about 240 KB of validator code for nothing; nor does an answer whose
 * parameters are plain texts. The bundle (`scripts/bundle.mjs`) replaces this module by one that
 * requires them from a file of their own beside the bundle.
 */
export function ajvLib(): AjvLib {
  return (lib ??= {
    Ajv: (load('ajv') as { Ajv: typeof Ajv }).Ajv,
    Ajv2020: (load('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020,
    addFormats: unwrap(load('ajv-formats')),
    localizeFr: unwrap(load('ajv-i18n/localize/fr/index.js')),
  })
}
