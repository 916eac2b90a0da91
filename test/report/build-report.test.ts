import { describe, expect, it } from 'vitest'
import { makeEntry } from '../journal/make-entry.js'
import { reportOf } from './sample-report.js'

const T = Date.UTC(2025, 0, 6, 9)
const good = {
  context: 'Marchés publics',
  recipient: '13002526500013',
  object: 'marché 127',
  jti: 'tok-1',
  authMode: 'bearer' as const,
  scopes: ['unites_legales_etablissements_insee'],
  privileges: ['unites_legales_etablissements_insee'],
}

describe('verdict report', () => {
  it('lists every check in order, with totals and an overall verdict', async () => {
    const report = await reportOf([
      makeEntry({ t: T, ...good }),
      makeEntry({ t: T + 1000, ...good, status: 429, retryAfter: 10 }),
      makeEntry({ t: T + 2000, ...good }),
    ])
    expect(report.checks.map((c) => c.id)).toEqual([
      'retry-after',
      'retry-in',
      'backoff',
      'ban',
      'token-reuse',
      'token-expiry',
      'single-use',
      'traceability',
      'timeouts',
      'no-browser',
      'least-privilege',
      'deprecated',
    ])
    expect(report.verdict).toBe('fail')
    expect(report.checks.find((c) => c.id === 'retry-after')).toMatchObject({
      status: 'fail',
      evidence: [{ note: expect.stringMatching(/after a 429/) }],
    })
    expect(report.totals).toEqual({ pass: 4, fail: 1, notExercised: 7 })
    expect(report.entries).toEqual({ api: 3, token: 0, authFailure: 0 })
  })

  it('judges only the client asked for', async () => {
    const report = await reportOf([
      makeEntry({ t: T, ...good }),
      makeEntry({ t: T, clientId: 'other', origin: 'https://x' }),
    ])
    expect(report.entries.api).toBe(1)
    expect(report.checks.find((c) => c.id === 'no-browser')!.status).toBe('pass')
  })

  it('lists, per operation, the fields delivered: recorded ones, else those the contract declares', async () => {
    const report = await reportOf([
      makeEntry({
        t: T,
        ...good,
        fields: ['data.siren', 'data.personne_physique_attributs.nom_naissance'],
        fieldScopes: ['unites_legales_donnees_protegees'],
        scopes: [...good.scopes, 'unites_legales_donnees_protegees'],
      }),
      makeEntry({
        t: T + 1,
        ...good,
        operation: 'api_entreprise_v3_european_commission_vies',
        privileges: undefined,
        path: '/v3/european_commission/unites_legales/418166096/numero_tva',
      }),
    ])
    const [vies, ul] = report.minimisation.operations
    expect(ul).toMatchObject({
      operation: 'api_entreprise_v3_insee_unites_legales',
      fieldsFrom: 'journal',
      fieldScopes: ['unites_legales_donnees_protegees'],
    })
    expect(vies!.fieldsFrom).toBe('contract')
    expect(vies!.fields).toContain('data.tva_number')
    expect(report.minimisation).toMatchObject({
      carried: ['unites_legales_donnees_protegees', 'unites_legales_etablissements_insee'],
      smallest: ['unites_legales_donnees_protegees', 'unites_legales_etablissements_insee'],
      unused: [],
    })
  })
})
