import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Report } from '../../mock/report/build-report.js'
import { startSandbox, TRACE, type Harness } from '../clients/sandbox-harness.js'
import { realContractPath } from '../helpers/real-contract.js'

const PATH = '/v3/insee/sirene/unites_legales/418166096'

describe('rule: least privilege uses exactly the privileges enforcement uses (real contract)', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startSandbox({ contract: realContractPath(), seed: 1 })
  })
  afterAll(() => h.close())

  it('the privilege enforcement requires is the one the verdict counts as needed', async () => {
    const creds = await h.createClient('least-priv', {
      privileges: ['unites_legales_etablissements_insee', 'attestation_fiscale_dgfip'],
    })
    const without = await h.token(creds, { scope: 'attestation_fiscale_dgfip' })
    const refused = await fetch(`${h.url}${PATH}?${TRACE}`, {
      headers: { authorization: `Bearer ${without}` },
    })
    expect(refused.status).toBe(403)
    await refused.arrayBuffer()
    const needed = await h.token(creds, { scope: 'unites_legales_etablissements_insee' })
    const served = await fetch(`${h.url}${PATH}?${TRACE}`, {
      headers: { authorization: `Bearer ${needed}` },
    })
    expect(served.status).toBe(200)
    await served.arrayBuffer()
    const res = await fetch(`${h.url}/__sandbox/report?client=least-priv&run=all`, {
      headers: h.admin,
    })
    const report = (await res.json()) as Report
    const check = report.checks.find((c) => c.id === 'least-privilege')!
    expect(report.minimisation.needed).toEqual(['unites_legales_etablissements_insee'])
    expect(check.status).toBe('fail')
    expect(check.summary).toMatch(
      /no call needed: attestation_fiscale_dgfip \(needed: unites_legales_etablissements_insee\)/,
    )
  })
})
