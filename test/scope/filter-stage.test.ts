import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { authSandbox, getToken, INSEE_PATH, makeClient, TRACE } from '../auth/helpers.js'

const sandbox = await authSandbox()
afterAll(() => sandbox.close())

/** Calls the legal-unit operation with a token holding `privileges`, `times` times. */
async function callsWith(privileges: string[], times: number): Promise<request.Response[]> {
  const client = await makeClient(sandbox.app, { privileges })
  const token = await getToken(sandbox.app, client)
  const out: request.Response[] = []
  for (let i = 0; i < times; i++) {
    out.push(
      await request(sandbox.app)
        .get(INSEE_PATH)
        .query(TRACE)
        .set('authorization', `Bearer ${token}`),
    )
  }
  return out
}

describe('the scope filter on repeated calls', () => {
  it('withholds the protected fields on every call, not only the first', async () => {
    const answers = await callsWith(['unites_legales_etablissements_insee'], 3)
    for (const r of answers) {
      expect(r.status).toBe(200)
      expect(r.body.data).not.toHaveProperty('personne_physique_attributs')
      expect(r.body.data).toHaveProperty('siren')
    }
    expect(answers[1]!.text).toBe(answers[0]!.text)
  })

  it('delivers them to a token that holds their scope, from the same cached body', async () => {
    const [r] = await callsWith(
      ['unites_legales_etablissements_insee', 'unites_legales_donnees_protegees'],
      1,
    )
    expect(r!.body.data).toHaveProperty('personne_physique_attributs')
  })
})
