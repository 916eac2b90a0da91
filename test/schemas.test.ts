import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { SCENARIO_SCHEMA_FILE } from '../mock/scenarios/load-scenarios.js'
import { RATE_TABLE_SCHEMA } from '../mock/traffic/rate-table-schema.js'

// Start-up compiles these without checking them against the meta-schema (it costs ~100 ms): this does.
describe('the JSON Schemas the sandbox ships', () => {
  const ajv = new Ajv({ strict: false, discriminator: true })

  it('scenario.schema.json is a valid JSON Schema', () => {
    const schema = JSON.parse(readFileSync(SCENARIO_SCHEMA_FILE, 'utf8')) as object
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true)
  })

  it('the rate-limit table schema is a valid JSON Schema', () => {
    expect(ajv.validateSchema(RATE_TABLE_SCHEMA), JSON.stringify(ajv.errors)).toBe(true)
  })
})
