import { describe, expect, it } from 'vitest'
import { createSandbox } from '../../mock/create-sandbox.js'
import { tempFiles } from '../helpers/temp-files.js'
import { ADMIN } from '../auth/helpers.js'

const PROCESSING =
  'field: statut\ninitial: deposee\ntransitions:\n  - { from: deposee, after: 30s, to: [{ status: acceptee }] }\n'

async function warningsOf(options: { processing?: string }): Promise<string[]> {
  const lines: string[] = []
  const sandbox = await createSandbox({
    state: 'memory',
    adminToken: ADMIN,
    log: (line) => lines.push(line),
    ...options,
  })
  await sandbox.close()
  return lines.filter((line) => line.startsWith('processing:'))
}

describe('processing files', () => {
  it('starts the bundled contract with the bundled processing folder without a warning', async () => {
    expect(await warningsOf({})).toEqual([])
  })

  it("reports a file of the operator's folder that names no create operation of the contract", async () => {
    const dir = tempFiles({ 'declarer_quelque_chose.yaml': PROCESSING })
    expect(await warningsOf({ processing: dir })).toEqual([
      'processing: declarer_quelque_chose.yaml names no create operation of API Entreprise (sandbox twin); it is ignored',
    ])
  })
})
