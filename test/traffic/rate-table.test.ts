import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadContract } from '../../mock/contract/load-contract.js'
import { SandboxConfigError } from '../../mock/errors.js'
import { DEFAULTS } from '../../mock/options.js'
import { loadRateTable } from '../../mock/traffic/load-rate-table.js'
import {
  compileRateTable,
  groupOf,
  isRateTableFault,
  type RateTable,
} from '../../mock/traffic/rate-table.js'
import { realContractPath } from '../helpers/real-contract.js'

async function tableFile(text: string): Promise<string> {
  const file = join(tmpdir(), `rate-${process.pid}-${Math.random().toString(36).slice(2)}.yaml`)
  await writeFile(file, text)
  return file
}

describe('rate-limit tables', () => {
  it('maps every operation of the bundled and the real contract to its production group', async () => {
    for (const path of [DEFAULTS.contract, realContractPath()]) {
      const contract = await loadContract(path)
      const warnings: string[] = []
      const table = (await loadRateTable(DEFAULTS.rateLimits, contract, (l) => warnings.push(l)))!
      expect(warnings).toEqual([])
      const limit = (id: string): number | undefined =>
        groupOf(
          table,
          contract.operations.find((o) => o.id === id)!,
        )?.limit
      expect(limit('api_entreprise_v3_insee_unites_legales')).toBe(250)
      expect(limit('api_entreprise_v4_acoss_attestations_sociales')).toBe(50)
      expect(limit('api_entreprise_v4_dgfip_attestations_fiscales')).toBe(5)
      for (const op of contract.operations)
        expect(table.operations.has(op.id), `${path}: ${op.id}`).toBe(true)
    }
  })

  it('stops start-up on a table naming an undefined group, with the file, line and entry', async () => {
    const file = await tableFile(
      'per_ip: 1000\ndefault_group: json\ngroups:\n  json: 250\noperations:\n  op_a: json\n  op_b: jsno\n',
    )
    const contract = await loadContract(DEFAULTS.contract)
    const err = await loadRateTable(file, contract, () => {}).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SandboxConfigError)
    expect((err as SandboxConfigError).message).toMatch(
      new RegExp(`${file}: line 7, at operations\\.op_b: names group "jsno"`),
    )
    expect((err as SandboxConfigError).file).toBe(file)
  })

  it('stops start-up on a table that breaks the schema', async () => {
    const file = await tableFile('window: soon\ngroups:\n  json: 250\n')
    const contract = await loadContract(DEFAULTS.contract)
    await expect(loadRateTable(file, contract, () => {})).rejects.toThrow(
      /line 1, at window: must be whole seconds or a duration/,
    )
  })

  it("merges a client's partial table over the sandbox's", () => {
    const base = compileRateTable(
      { window: '60s', per_ip: 1000, default_group: 'json', groups: { json: 250, documents: 50 } },
      'base',
    ) as RateTable
    const own = compileRateTable({ groups: { json: { limit: 10 } } }, 'client', base) as RateTable
    expect(own.groups.get('json')!.limit).toBe(10)
    expect(own.groups.get('documents')!.limit).toBe(50)
    expect(own.perIp).toBe(1000)
    const bad = compileRateTable({ groups: { json: -1 } }, 'client', base)
    expect(isRateTableFault(bad) && bad).toMatchObject({
      pointer: '/groups/json',
      message: expect.stringMatching(/must be a limit/),
    })
  })
})
