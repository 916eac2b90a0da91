import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, startCli } from '../helpers/cli.js'
import { tempFiles } from '../helpers/temp-files.js'

const ADMIN = 'report-command-admin-token-0123456789'

describe('sandbox-twin report and certify', () => {
  it('starts a certification run and prints the verdict as JUnit XML from a running sandbox', async () => {
    const dir = tempFiles({})
    const cli = await startCli(['--state', join(dir, 'state.json'), '--admin-token', ADMIN])
    try {
      const remote = ['--url', cli.url, '--client', 'demo', '--admin-token', ADMIN]
      const certify = await runCli(['certify', ...remote, '--software', 'Logiciel RH@4.2.1'])
      expect(certify.code).toBe(0)
      expect(JSON.parse(certify.stdout)).toMatchObject({
        client_id: 'demo',
        pace: 'fast',
        software: { name: 'Logiciel RH', version: '4.2.1' },
        state: 'running',
      })
      await fetch(`${cli.url}/v3/insee/sirene/unites_legales/418166096`, {
        headers: { origin: 'https://front.example' },
      })
      const report = await runCli(['report', ...remote, '--format', 'junit', '--exit-code'])
      expect(report.stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /)
      expect(report.stderr).toMatch(/verdict for demo: (fail|incomplete)/)
      expect(report.code).toBe(1)
      const unknown = await runCli([
        'report',
        '--url',
        cli.url,
        '--client',
        'nope',
        '--admin-token',
        ADMIN,
        '--exit-code',
      ])
      expect(unknown.code).toBe(1)
      expect(unknown.stderr).toMatch(/No client nope in this sandbox/)
    } finally {
      await cli.stop()
    }
  })

  it('says in one line what to do when the sandbox cannot be reached or refuses', async () => {
    const unreachable = await runCli([
      'report',
      '--url',
      'http://127.0.0.1:9',
      '--client',
      'x',
      '--admin-token',
      ADMIN,
    ])
    expect(unreachable.code).toBe(2)
    expect(unreachable.stderr).toMatch(
      /cannot reach the sandbox at http:\/\/127\.0\.0\.1:9 .*Pass --url or SANDBOX_URL/,
    )
    const noCredential = await runCli(['report', '--client', 'x'], {
      SANDBOX_ADMIN_TOKEN: '',
      SANDBOX_CLIENT_SECRET: '',
    })
    expect(noCredential.code).toBe(2)
    expect(noCredential.stderr).toMatch(/no credentials .*pass the admin token with --admin-token/)
  })
})
