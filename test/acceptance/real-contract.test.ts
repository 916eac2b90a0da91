import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { createAjv, createSchemaCompiler } from '../../mock/contract/json-schema.js'
import type { Operation } from '../../mock/contract/types.js'
import { createSandbox } from '../../mock/create-sandbox.js'
import { luhnComplete, siretFrom } from '../../mock/data/identifiers.js'
import { realContractPath } from '../helpers/real-contract.js'

const IDENTIFIERS_PER_OPERATION = 20

// The real production contract, served as it is: no auth (this test is about data), no rate limits.
const sandbox = await createSandbox({
  contract: realContractPath(),
  state: 'memory',
  auth: false,
  rateLimits: 'off',
  log: () => undefined,
})
afterAll(() => sandbox.close())
const contract = sandbox.context.contract
const compile = createSchemaCompiler(createAjv(contract.openapi))

/** The n-th valid SIREN of the test: 9 digits, Luhn key, away from the magic identifiers. */
const sirenAt = (n: number): string => luhnComplete(String(31_000_000 + n * 7919).padStart(8, '0'))

/** A valid request path for `op` with the n-th identifier. */
function pathFor(op: Operation, n: number): string {
  const siren = sirenAt(n)
  const siret = siretFrom(siren, String((n % 90) + 1).padStart(4, '0'))
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (name === 'year') return String(2019 + (n % 5))
    if (name === 'month') return String((n % 12) + 1).padStart(2, '0')
    if (name.startsWith('siret')) return siret
    if (name.startsWith('siren')) return siren
    throw new Error(`no sample value for path parameter ${name} of ${op.id}`)
  })
  return `${path}?context=acceptance&recipient=13002526500013&object=contract%20check`
}

describe('the real API Entreprise contract', () => {
  const gets = contract.operations.filter((o) => o.method === 'get')

  it('has 52 GET operations to serve', () => {
    expect(gets).toHaveLength(52)
  })

  it(`answers every GET operation with a 200 that validates against its schema, for ${IDENTIFIERS_PER_OPERATION} identifiers each`, async () => {
    const failures: string[] = []
    let passing = 0
    for (const op of gets) {
      const schema = op.responses['200']?.schema
      const check = schema ? compile(schema) : undefined
      const before = failures.length
      const answers = await Promise.all(
        Array.from({ length: IDENTIFIERS_PER_OPERATION }, (_, n) =>
          request(sandbox.app).get(pathFor(op, n)),
        ),
      )
      answers.forEach((res, n) => {
        if (res.status !== 200)
          failures.push(
            `${op.id} ${pathFor(op, n)}: status ${res.status} ${res.text.slice(0, 200)}`,
          )
        else if (check && !check(res.body))
          failures.push(`${op.id} ${pathFor(op, n)}: ${JSON.stringify(check.errors?.[0])}`)
      })
      if (failures.length === before) passing++
    }
    console.log(
      `real contract: ${passing}/${gets.length} GET operations answer ${IDENTIFIERS_PER_OPERATION}/${IDENTIFIERS_PER_OPERATION} identifiers with a valid 200`,
    )
    expect(failures.slice(0, 10)).toEqual([])
    expect(passing).toBe(gets.length)
  })
})
