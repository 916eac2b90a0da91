import { join } from 'node:path'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { createSandbox } from '../../mock/create-sandbox.js'

const sandbox = await createSandbox({
  contract: join(import.meta.dirname, '..', 'contract', 'corpus', 'family.yaml'),
  state: 'memory',
  auth: false,
  rateLimits: 'off',
  log: () => undefined,
})
afterAll(() => sandbox.close())

interface Member {
  nom_naissance: string
  prenoms: string
  date_naissance: string
  sexe: string
}
interface Family {
  data: { allocataires: Member[]; enfants: Member[]; adresse: { destinataire: string } }
}
const ASKED =
  'nomNaissance=Roux&prenoms[]=Jeanne&prenoms[]=Stéphanie&anneeDateNaissance=1987&moisDateNaissance=6&sexeEtatCivil=F'

describe('the person asked about and their household', () => {
  it('answers about the person asked for, first among the adults, civility matching', async () => {
    const res = await request(sandbox.app).get(`/v3/dss/quotient_familial/identite?${ASKED}`)
    expect(res.status).toBe(200)
    const { allocataires, adresse } = (res.body as Family).data
    expect(allocataires[0]).toMatchObject({
      nom_naissance: 'ROUX',
      prenoms: 'JEANNE STEPHANIE',
      sexe: 'F',
      date_naissance: expect.stringMatching(/^1987-06-\d\d$/),
    })
    expect(allocataires[1]!.sexe).toBe('M')
    expect(adresse.destinataire).toBe('Madame ROUX JEANNE STEPHANIE')
  })

  it('children are born at least 18 years after both parents, and before today', async () => {
    const { data } = (await request(sandbox.app).get(`/v3/dss/quotient_familial/identite?${ASKED}`))
      .body as Family
    const younger = Math.max(...data.allocataires.map((p) => Date.parse(p.date_naissance)))
    for (const child of data.enfants) {
      const born = Date.parse(child.date_naissance)
      expect(born - younger).toBeGreaterThan(18 * 365 * 24 * 3600 * 1000)
      expect(child.nom_naissance).toBe('ROUX')
    }
  })

  it('every operation asked about the same person answers with the same family', async () => {
    const a = (await request(sandbox.app).get(`/v3/dss/quotient_familial/identite?${ASKED}`))
      .body as Family
    const b = (
      await request(sandbox.app).get(`/v3/dss/complementaire_sante_solidaire/identite?${ASKED}`)
    ).body as Family
    expect(b.data.allocataires.slice(0, 2)).toEqual(a.data.allocataires.slice(0, 2))
    expect(b.data.enfants[0]).toEqual(a.data.enfants[0])
    const other = (
      await request(sandbox.app).get(
        '/v3/dss/quotient_familial/identite?nomNaissance=Martin&prenoms[]=Paul&anneeDateNaissance=1970&sexeEtatCivil=M',
      )
    ).body as Family
    expect(other.data.allocataires[0]).toMatchObject({ nom_naissance: 'MARTIN', sexe: 'M' })
    expect(other.data.adresse.destinataire).toBe('Monsieur MARTIN PAUL')
  })
})
