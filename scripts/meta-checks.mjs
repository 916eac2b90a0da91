// The draft-07 meta-schema check, compiled ahead of time (ajv's standalone code): what ajv would
// compile at the first request to check each contract schema (`mock/contract/meta-check.ts`), made
// with the options `mock/contract/json-schema.ts` gives ajv. ajv compiles a meta-schema without
// coercion, so the validators that coerce and those that do not check schemas alike (the build
// compares both).
import { _, Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import standaloneCode from 'ajv/dist/standalone/index.js'

const addFormats = addFormatsModule.default ?? addFormatsModule
export const DRAFT07 = 'http://json-schema.org/draft-07/schema'

/** ES module source whose default export is `(schema) => boolean`. */
export function metaCheckSource() {
  const one = (coerceTypes) => {
    const ajv = new Ajv({
      strict: false,
      allErrors: false,
      logger: false,
      ...(coerceTypes ? { coerceTypes } : {}),
      code: {
        source: true,
        esm: true,
        formats: _`require("ajv-formats/dist/formats").fullFormats`,
      },
    })
    addFormats(ajv)
    return standaloneCode(ajv, ajv.getSchema(DRAFT07))
  }
  const exact = one(undefined)
  if (one('array') !== exact)
    throw new Error('meta-checks: ajv checks schemas differently when it coerces; compile both')
  return exact
}
