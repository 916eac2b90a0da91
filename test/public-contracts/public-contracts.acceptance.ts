import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAjv, createSchemaCompiler } from '../../mock/contract/json-schema.js'
import { createSandbox } from '../../mock/create-sandbox.js'
import { probe } from './probe.js'

// Real public contracts, read in place from the folder SANDBOX_PUBLIC_CONTRACTS names (never copied
// into the project): its top-level .yaml/.yml/.json files, or the paths listed in its contracts.txt.
const folder = process.env.SANDBOX_PUBLIC_CONTRACTS
if (!folder) {
  throw new Error(
    'SANDBOX_PUBLIC_CONTRACTS is not set: point it at a folder of public OpenAPI contracts (npm run test:public).',
  )
}
const listed = readdirSync(folder).includes('contracts.txt')
  ? readFileSync(join(folder, 'contracts.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
  : readdirSync(folder).filter((f) => /\.(ya?ml|json)$/i.test(f))
const MIN_VALID = Number(process.env.SANDBOX_PUBLIC_MIN_VALID ?? '0.9')

describe('real public contracts', () => {
  it('lists at least one contract', () => expect(listed.length).toBeGreaterThan(0))
  for (const name of listed) {
    it(`${name}: loads, answers its GET operations with schema-valid bodies, refuses bad requests in its own shape`, async () => {
      const started = performance.now()
      const sandbox = await createSandbox({
        contract: join(folder, name),
        // Public contracts may point to schemas published elsewhere.
        allowRemoteRefs: true,
        state: 'memory',
        auth: false,
        rateLimits: 'off',
        log: () => undefined,
      })
      const ready = performance.now() - started
      try {
        const { url } = await sandbox.listen(0, '127.0.0.1')
        const compile = createSchemaCompiler(createAjv(sandbox.context.contract.openapi))
        const r = await probe(sandbox.context.contract, url, compile)
        console.log(
          `${name}: ${r.valid}/${r.operations} GET operations schema-valid, ${r.badInShape}/${r.badRequests} bad requests in the contract's shape, ready in ${Math.round(ready)} ms`,
        )
        for (const f of r.failures.slice(0, 10)) console.log(`  ${f}`)
        expect(r.valid / Math.max(r.operations, 1)).toBeGreaterThanOrEqual(MIN_VALID)
        expect(r.badInShape / Math.max(r.badRequests, 1)).toBeGreaterThanOrEqual(MIN_VALID)
      } finally {
        await sandbox.close()
      }
    }, 600_000)
  }
})
