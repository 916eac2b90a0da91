import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { SANDBOX_ERRORS, SandboxConfigError } from '../../mock/errors.js'
import { realContractPath } from '../helpers/real-contract.js'
import { tempFiles } from '../helpers/temp-files.js'
import {
  authSandbox,
  callApi,
  firstError,
  getToken,
  INSEE_PATH,
  makeClient,
  SIREN,
} from './helpers.js'

describe('privilege sources', () => {
  it('enforces the mapping file on the production contract, whose security names no scope', async () => {
    const sandbox = await authSandbox({ contract: realContractPath() })
    const openData = await makeClient(sandbox.app, { privileges: ['open_data'] })
    const token = await getToken(sandbox.app, openData)
    const privileges = await request(sandbox.app)
      .get('/privileges')
      .set('authorization', `Bearer ${token}`)
    expect(privileges.body).toEqual({ privileges: ['open_data'] })
    const insee = await callApi(sandbox.app, `/v3/insee/sirene/unites_legales/${SIREN}`, token)
    expect(insee.status).toBe(403)
    // The production contract's own example, typo and all.
    expect(firstError(insee.body)).toMatchObject({
      code: '00100',
      title: 'Privilèges insuffisants',
      detail: expect.stringContaining('/v2/privileges'),
    })
    const missing = firstError((await callApi(sandbox.app, INSEE_PATH)).body)
    expect(missing.code).toBe('00101')
    expect(sandbox.demoClient!.privileges).toContain('attestation_fiscale_dgfip')
    await sandbox.close()
  })

  it('lets the contract own privileges win over the mapping file', async () => {
    const dir = tempFiles({
      'privileges.yaml': 'operations:\n  api_entreprise_v3_insee_unites_legales: open_data\n',
    })
    const sandbox = await authSandbox({ privileges: `${dir}/privileges.yaml` })
    const openData = await makeClient(sandbox.app, { privileges: ['open_data'] })
    expect(
      (await callApi(sandbox.app, INSEE_PATH, await getToken(sandbox.app, openData))).status,
    ).toBe(403)
    await sandbox.close()
  })

  it('treats a missing mapping file as empty, with a log line', async () => {
    const lines: string[] = []
    const sandbox = await authSandbox({
      privileges: '/nonexistent/privileges.yaml',
      log: (l) => void lines.push(l),
    })
    expect(lines.some((l) => l.includes('/nonexistent/privileges.yaml'))).toBe(true)
    await sandbox.close()
  })

  it.each([
    ['operations: [unclosed', /not valid YAML/],
    ['something_else: {}', /top-level "operations" map/],
    ['operations:\n  op_a: 42\n', /entry "operations\.op_a"/],
    ['operations:\n  op_b: "has spaces"\n', /entry "operations\.op_b"/],
    ['operations:\n  op_c: []\n', /entry "operations\.op_c"/],
  ])(
    'refuses a bad mapping file at start-up, naming the file and the entry (%s)',
    async (text, message) => {
      const file = `${tempFiles({ 'privileges.yaml': text })}/privileges.yaml`
      const err = await authSandbox({ privileges: file }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(SandboxConfigError)
      expect((err as SandboxConfigError).code).toBe(SANDBOX_ERRORS.BAD_MAPPING)
      expect((err as SandboxConfigError).message).toContain(file)
      expect((err as SandboxConfigError).message).toMatch(message)
    },
  )
})
