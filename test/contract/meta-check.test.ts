import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createAjv, createSchemaCompiler, toAjvSchema } from '../../mock/contract/json-schema.js'
import { loadContract } from '../../mock/contract/load-contract.js'
import { realContractPath } from '../helpers/real-contract.js'
// @ts-expect-error: a build script, plain JavaScript without declarations
import { metaCheckSource } from '../../scripts/meta-checks.mjs'

const ROOT = resolve(import.meta.dirname, '../..')

/** The check the bundle compiles ahead of time, loaded as the bundle would run it. */
async function aheadCheck(): Promise<(schema: unknown) => boolean> {
  const file = join(mkdtempSync(join(tmpdir(), 'sandbox-twin-meta-')), 'check.mjs')
  const header = `import { createRequire } from 'node:module'\nconst require = createRequire(${JSON.stringify(join(ROOT, 'package.json'))})\n`
  writeFileSync(file, header + (metaCheckSource as () => string)().replace('"use strict";', ''))
  const validate = (await import(pathToFileURL(file).href)) as {
    default: (s: unknown) => boolean
  }
  return (s) => validate.default(s) === true
}

/** Schemas ajv refuses, or reads oddly, next to ones it takes. */
const CORPUS: unknown[] = [
  { type: 'string', pattern: '^\\d{9}$' },
  { type: 'strng' },
  { type: ['string', 'null'] },
  { minLength: '3' },
  { minLength: -1 },
  { required: 'name' },
  { required: ['name', 'name'] },
  { properties: { a: { type: 'integer', maximum: 'ten' } } },
  { properties: { a: { items: [{ type: 'string' }, 3] } } },
  { additionalProperties: 7 },
  { enum: [] },
  { pattern: '(?<x' },
  { format: 'date-time', type: 'string' },
  { allOf: [] },
  { oneOf: [{ type: 'string' }, { $ref: '#/$defs/x' }], $defs: { x: { type: 'number' } } },
  { $id: 'not a uri reference %%' },
  { const: { nested: [1, 2] }, examples: 'one' },
]

describe('the draft-07 meta-schema check made ahead of time', () => {
  it("answers as ajv's own check, for the same options, on odd schemas and on every schema of the real contract", async () => {
    const check = await aheadCheck()
    const contract = await loadContract(realContractPath())
    const schemas = [...CORPUS]
    for (const op of contract.operations) {
      for (const p of op.parameters) schemas.push(toAjvSchema(p.schema))
      for (const r of Object.values(op.responses)) if (r.schema) schemas.push(toAjvSchema(r.schema))
    }
    let refused = 0
    for (const coerceTypes of [undefined, 'array'] as const) {
      const ajv = createAjv('3.0.3', { coerceTypes, metaCheck: undefined })
      for (const s of schemas) {
        const theirs = ajv.validateSchema(structuredClone(s) as object)
        expect([s, check(structuredClone(s))]).toEqual([s, theirs])
        if (!theirs) refused++
      }
    }
    // The corpus is worth something only if ajv refuses some of it and takes the rest.
    expect(refused).toBeGreaterThan(4)
    expect(refused).toBeLessThan(schemas.length)
  })

  it('compiles what ajv compiles, and lets anything through where ajv refuses the schema', async () => {
    const check = await aheadCheck()
    for (const coerceTypes of [undefined, 'array'] as const) {
      const own = createSchemaCompiler(createAjv('3.0.3', { coerceTypes, metaCheck: undefined }))
      const ahead = createSchemaCompiler(createAjv('3.0.3', { coerceTypes, metaCheck: check }))
      for (const schema of CORPUS as Record<string, unknown>[])
        for (const value of ['418166096', 12, '', null, { name: 1 }, ['x'], 'abc'])
          expect([schema, value, ahead(schema)(structuredClone(value))]).toEqual([
            schema,
            value,
            own(schema)(structuredClone(value)),
          ])
    }
  })
})
