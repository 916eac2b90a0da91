import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import { SandboxConfigError } from '../../mock/errors.js'
import { parseProcessing } from '../../mock/resources/processing.js'
import { advance, api, declarant, declaration, DECLARATIONS, douaneSandbox } from './harness.js'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await douaneSandbox()
})
afterAll(() => sandbox.close())

/** Deposits `n` declarations with this reference, lets processing end, and reads their statuses. */
async function endings(reference: string, n: number): Promise<Array<Record<string, unknown>>> {
  const { client, token } = await declarant(sandbox.app)
  const call = api(sandbox.app, token)
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const created = await call.post(DECLARATIONS, declaration({ reference_operateur: reference }))
    expect(created.status).toBe(201)
    ids.push(created.body.id_declaration as string)
  }
  await advance(sandbox.app, client.clientId, '3m')
  return Promise.all(
    ids.map(
      async (id) => (await call.get(`${DECLARATIONS}/${id}`)).body as Record<string, unknown>,
    ),
  )
}

describe('declarations whose life is fixed by the processing file', () => {
  it('rejects a declaration referenced SANDBOX-REJET every time, with its reasons', async () => {
    const done = await endings('SANDBOX-REJET', 12)
    for (const d of done) {
      expect(d.statut).toBe('rejetee')
      expect((d.motifs_rejet as Array<{ code: string }>)[0]!.code).toBe('R012')
    }
  })

  it('accepts a declaration referenced SANDBOX-ACCEPTE every time', async () => {
    const done = await endings('SANDBOX-ACCEPTE', 12)
    expect(done.map((d) => d.statut)).toEqual(Array(12).fill('acceptee'))
    expect(done.every((d) => d.motifs_rejet === undefined)).toBe(true)
  })

  it('still draws the ending of any other declaration (both endings over a few)', async () => {
    const statuses = new Set((await endings('REF-ORDINAIRE', 16)).map((d) => d.statut))
    expect(statuses).toEqual(new Set(['acceptee', 'rejetee']))
  })

  it('refuses a case whose outcome no transition offers, naming the line', () => {
    const text = [
      'transitions:',
      '  - { from: deposee, after: 30s, to: [{ status: acceptee }] }',
      'cases:',
      '  - when: { reference_operateur: X }',
      '    outcome: refusee',
    ].join('\n')
    expect(() => parseProcessing(text, 'p.yaml')).toThrow(SandboxConfigError)
    expect(() => parseProcessing(text, 'p.yaml')).toThrow(
      /p\.yaml, line 5: "refusee" is no outcome of a transition \(acceptee\)/,
    )
    expect(() =>
      parseProcessing(
        `${text.split('\ncases')[0]}\ncases:\n  - { when: {}, outcome: acceptee }\n`,
        'p.yaml',
      ),
    ).toThrow(/when must map body fields/)
  })
})
