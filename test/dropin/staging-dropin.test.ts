import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import type { Operation } from '../../mock/contract/types.js'
import { checkSiren } from '../../mock/data/identifiers.js'
import { realContractPath } from '../helpers/real-contract.js'
import { tempFiles } from '../helpers/temp-files.js'

/** A SIREN whose Luhn key is wrong, as some of staging's are. */
const BAD_SIREN = '130025266'
const GOOD_SIREN = '418166096'
const TRACE = { context: 'staging', recipient: '13002526500013', object: 'drop-in' }

/** A case file in staging's format: params, status, and the payload as a JSON string. */
const caseFile = (params: Record<string, string>, status: number, payload: unknown): string =>
  [
    '---',
    "title: 'written by the test'",
    'params:',
    ...Object.entries(params).map(([k, v]) => `  ${k}: '${v}'`),
    `status: ${status}`,
    'payload: |-',
    ...JSON.stringify(payload, null, 2)
      .split('\n')
      .map((l) => `  ${l}`),
    '',
  ].join('\n')

const FISCAL = 'api_entreprise_v4_dgfip_attestations_fiscales'
const UNITS = 'api_entreprise_v3_insee_unites_legales'

const corpus = (): Record<string, string> => ({
  // A case whose SIREN fails the Luhn check (its payload lacks a required field too): staging
  // serves it, so must the sandbox.
  [`${FISCAL}/attestation_delivree.yaml`]: caseFile({ siren: BAD_SIREN }, 200, {
    data: { document_url: 'https://example.org/attestation.pdf', expires_in: 7_889_238 },
    links: {},
    meta: {},
  }),
  [`${FISCAL}/entite_hors_perimetre.yaml`]: caseFile({ siren: '000000000' }, 404, {
    errors: [
      {
        code: '03003',
        title: 'Entité non trouvée',
        detail: 'Hors périmètre',
        meta: { provider: 'DGFIP' },
      },
    ],
  }),
  // A payload outside the contract's schema (a field of the wrong type).
  [`${UNITS}/personne_morale.yml`]: caseFile({ siren: GOOD_SIREN }, 200, {
    data: { siren: 418166096 },
    links: {},
    meta: {},
  }),
  'api_particulier_v2_unknown/200.yaml': caseFile({ x: '1' }, 200, {}),
})

const pathOf = (op: Operation, params: Record<string, string>): string =>
  op.path.replace(/\{(\w+)\}/g, (_m, k: string) => params[k] ?? '')

describe('staging drops in', () => {
  let sandbox: Sandbox
  const logs: string[] = []
  const dir = tempFiles(corpus())
  beforeAll(async () => {
    expect(checkSiren(BAD_SIREN)).toBe('checksum')
    sandbox = await createSandbox({
      contract: realContractPath(),
      fixtures: dir,
      state: 'memory',
      auth: false,
      rateLimits: 'off',
      demoClient: false,
      log: (l) => logs.push(l),
    })
  })
  afterAll(() => sandbox.close())

  const op = (id: string): Operation =>
    sandbox.context.contract.operations.find((o) => o.id === id)!

  it('reproduces every case of the corpus, status and body, on the real contract', async () => {
    const files = corpus()
    let reproduced = 0
    for (const [file, text] of Object.entries(files)) {
      const [id] = file.split('/')
      const operation = sandbox.context.contract.operations.find((o) => o.id === id)
      if (!operation) continue
      const params = Object.fromEntries(
        [...text.matchAll(/^ {2}(\w+): '([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]),
      )
      const status = Number(/^status: (\d+)$/m.exec(text)![1])
      const payload = JSON.parse(text.split('payload: |-\n')[1]!.replace(/^ {2}/gm, ''))
      const res = await request(sandbox.app).get(pathOf(operation, params)).query(TRACE)
      expect(res.status, file).toBe(status)
      expect(res.body, file).toEqual(payload)
      reproduced++
    }
    expect(reproduced).toBe(3)
  })

  it('still refuses a malformed identifier that no case pins', async () => {
    const res = await request(sandbox.app)
      .get(pathOf(op(FISCAL), { siren: '130025267' }))
      .query(TRACE)
    expect(res.status).toBe(422)
  })

  it('says in one line at load what contradicts the contract', () => {
    const summary = logs.filter((l) => l.startsWith(`fixtures ${dir}:`))
    expect(summary).toHaveLength(1)
    expect(summary[0]).toMatch(
      /3 case\(s\) for 2 operation\(s\); 1 with an identifier the contract's format refuses .* 2 with a payload outside the contract's schema; 1 folder\(s\) named after no operation/,
    )
    expect(summary[0]).toMatch(/--fixture-check warn lists them/)
    expect(logs.filter((l) => l.startsWith('warning: fixture'))).toEqual([])
  })

  it('lists each such case under fixtureCheck warn', async () => {
    const lines: string[] = []
    const listed = await createSandbox({
      contract: realContractPath(),
      fixtures: dir,
      fixtureCheck: 'warn',
      state: 'memory',
      demoClient: false,
      log: (l) => lines.push(l),
    })
    await listed.close()
    const warnings = lines.filter((l) => l.startsWith('warning:'))
    expect(warnings).toHaveLength(4)
    expect(warnings.join('\n')).toContain(`siren ${BAD_SIREN} fails the contract's format`)
    expect(warnings.join('\n')).toMatch(/personne_morale\.yml: payload at \/data/)
  })
})
