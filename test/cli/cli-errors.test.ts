import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { runCli } from '../helpers/cli.js'
import { tempFiles } from '../helpers/temp-files.js'

/** A failure must be one clear message: exit 2, no stack trace. */
function expectUsageError(r: { code: number | null; stderr: string }, message: RegExp): void {
  expect(r.code).toBe(2)
  expect(r.stderr).toMatch(message)
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
}

describe('sandbox-twin CLI errors', () => {
  it('documents every serve flag in --help', async () => {
    const r = await runCli(['serve', '--help'])
    expect(r.code).toBe(0)
    for (const flag of [
      '--port',
      '--host',
      '--contract',
      '--fixtures',
      '--scenarios',
      '--seed',
      '--state',
      '--admin-token',
      '--rate-limits',
      '--no-auth',
    ]) {
      expect(r.stdout).toContain(flag)
    }
    // Help text wraps at the terminal width: compare with white space folded.
    const text = r.stdout.replace(/\s+/g, ' ')
    expect(text).toContain('env: PORT')
    expect(text).toContain('env: SANDBOX_ADMIN_TOKEN')
    expect(text).toContain('env: SANDBOX_STATE')
  })

  it('exits 2 on an unknown flag', async () => {
    expectUsageError(await runCli(['serve', '--prot', '80']), /unknown option '--prot'/)
  })

  it('exits 2 on a port that is not a number', async () => {
    expectUsageError(
      await runCli(['serve', '--port', 'eighty']),
      /^sandbox-twin: option '--port <n>' argument 'eighty' is invalid\. Expected a whole number from 0 to 65535\.$/m,
    )
  })

  it('exits 2 naming a missing contract file', async () => {
    expectUsageError(
      await runCli(['serve', '--state', 'memory', '--contract', '/nope/api.yaml']),
      /contract \/nope\/api\.yaml: file not found/,
    )
  })

  it('exits 2 naming the line of a broken contract', async () => {
    const dir = tempFiles({ 'api.yaml': 'openapi: 3.0.3\npaths:\n  /a: [\n' })
    expectUsageError(
      await runCli(['serve', '--state', 'memory', '--contract', join(dir, 'api.yaml')]),
      /api\.yaml: line \d+, column \d+/,
    )
  })

  it('exits 2 naming a fixture file whose YAML is broken', async () => {
    const dir = tempFiles({
      'api_entreprise_v3_insee_unites_legales/bad.yaml': 'params: {siren: "1"\nstatus: 200\n',
    })
    expectUsageError(
      await runCli(['serve', '--state', 'memory', '--fixtures', dir]),
      /fixture .*bad\.yaml: line \d+/,
    )
  })

  it('exits 2 naming a fixture key it does not know, and the keys a case has', async () => {
    const dir = tempFiles({
      'api_entreprise_v3_insee_unites_legales/typo.yaml':
        'params: {siren: "418166096"}\nstatut: 200\npayload: {data: {}}\n',
    })
    const r = await runCli(['serve', '--state', 'memory', '--fixtures', dir])
    expectUsageError(
      r,
      /fixture .*typo\.yaml: key statut: unknown; a case has params, status, payload, title, description, example, api_path\./,
    )
    expect(r.stderr).not.toMatch(/got undefined/)
  })

  it('exits 2 naming a fixture payload that contradicts the contract when --fixture-check error', async () => {
    const dir = tempFiles({
      'api_entreprise_v3_insee_unites_legales/wrong.yaml':
        'params: {siren: "418166096"}\nstatus: 200\npayload: \'{"data": 42, "links": {}, "meta": {}}\'\n',
    })
    expectUsageError(
      await runCli(['serve', '--state', 'memory', '--fixtures', dir, '--fixture-check', 'error']),
      /fixture .*wrong\.yaml: payload at \/data must be object/,
    )
  })

  it('exits 2 naming a state file that is not a sandbox state', async () => {
    const dir = tempFiles({ 'state.json': '[1,2,3]' })
    expectUsageError(
      await runCli(['serve', '--state', join(dir, 'state.json')]),
      /state file .*state\.json cannot be used/,
    )
  })
})

describe('sandbox-twin CLI listening errors', () => {
  it('exits 2 and suggests --port when the port is taken', async () => {
    const { createServer } = await import('node:net')
    const blocker = createServer()
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done))
    const port = (blocker.address() as { port: number }).port
    try {
      const r = await runCli(['serve', '--state', 'memory', '--port', String(port)])
      expectUsageError(
        r,
        new RegExp(
          `cannot listen on 127\\.0\\.0\\.1:${port}: it is already in use\\. Choose another with --port`,
        ),
      )
    } finally {
      blocker.close()
    }
  })
})

describe('sandbox-twin CLI mapping errors', () => {
  it('exits 2 naming a magic identifier that maps to an unknown scenario', async () => {
    const { readFileSync } = await import('node:fs')
    const { resolve } = await import('node:path')
    // Check the bundled table maps only to bundled scenarios, then break a copy of it.
    const bundled = readFileSync(
      resolve(import.meta.dirname, '../../fixtures/magic-identifiers.yaml'),
      'utf8',
    )
    const dir = tempFiles({
      'magic.yaml': bundled.replace('scenario: partial-206', 'scenario: no-such-scenario'),
    })
    const { createSandbox } = await import('../../mock/create-sandbox.js')
    const err = await createSandbox({
      state: 'memory',
      magicIdentifiers: join(dir, 'magic.yaml'),
      log: () => undefined,
    }).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    )
    expect(err?.code).toBe('bad-mapping')
    expect(err?.message).toMatch(
      /magic\.yaml: identifier 000002063 names scenario "no-such-scenario", which no scenario file defines\. Known: all-incidents, burst-429, /,
    )
  })
})
