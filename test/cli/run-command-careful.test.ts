import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { exportJWK, generateKeyPair, SignJWT, decodeProtectedHeader } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AttestationPayload } from '../../mock/certification/attestation.js'
import { runCli, type CliResult } from '../helpers/cli.js'
import { tempFiles } from '../helpers/temp-files.js'

const CAREFUL = resolve(import.meta.dirname, '../clients/careful-client.mjs')

describe('sandbox-twin run --certify with the careful reference client', () => {
  const dir = tempFiles({})
  const reports = join(dir, 'report')
  let result: CliResult
  let seconds = 0
  beforeAll(async () => {
    const started = Date.now()
    result = await runCli([
      'run',
      '--certify',
      '--software',
      'Logiciel RH@4.2.1',
      '--siret',
      '13002526500013',
      '--label',
      'Éditeur RH',
      '--privileges',
      'unites_legales_etablissements_insee',
      '--report-dir',
      reports,
      '--',
      process.execPath,
      CAREFUL,
    ])
    seconds = (Date.now() - started) / 1000
    process.stderr.write(`careful client under run --certify: ${seconds.toFixed(1)} s\n`)
  }, 180_000)

  it('passes: exit 0, every step played, the report files written', () => {
    expect(result.stderr).not.toMatch(/unexpected failure/)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/certification \(fast\): 10\/10 steps played/)
    expect(result.stdout).toMatch(/verdict: pass/)
    for (const file of ['verdict.json', 'junit.xml', 'report.html', 'attestation.jws', 'jwks.json'])
      expect(existsSync(join(reports, file))).toBe(true)
    const verdict = JSON.parse(readFileSync(join(reports, 'verdict.json'), 'utf8')) as {
      verdict: string
    }
    expect(verdict.verdict).toBe('pass')
    expect(readFileSync(join(reports, 'junit.xml'), 'utf8')).toMatch(/<testsuites /)
  })

  it('signs an attestation that verifies offline and says what was certified', async () => {
    const check = await runCli([
      'verify',
      join(reports, 'attestation.jws'),
      '--jwks',
      join(reports, 'jwks.json'),
      '--json',
    ])
    expect(check.code).toBe(0)
    const payload = JSON.parse(check.stdout) as AttestationPayload
    expect(payload).toMatchObject({
      verdict: 'pass',
      contract: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      certification: { pace: 'fast' },
      client: { id: 'ci-client', label: 'Éditeur RH', siret: '13002526500013' },
      software: { name: 'Logiciel RH', version: '4.2.1' },
      sandbox: { name: 'sandbox-twin' },
    })
    expect(payload.checks.length).toBeGreaterThanOrEqual(11)
    expect(payload.certification.steps).toHaveLength(10)
    expect(Date.parse(payload.run.ended_at)).toBeGreaterThan(Date.parse(payload.run.started_at))
  })

  it('refuses a tampered or re-signed attestation', async () => {
    const jws = readFileSync(join(reports, 'attestation.jws'), 'utf8').trim()
    const [head, body, sig] = jws.split('.')
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString()) as AttestationPayload
    const tampered = join(dir, 'tampered.jws')
    const forged: Record<string, unknown> = {
      ...payload,
      verdict: 'pass',
      software: { name: 'Autre', version: '9' },
    }
    writeFileSync(
      tampered,
      `${head}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${sig}`,
    )
    const t = await runCli(['verify', tampered, '--jwks', join(reports, 'jwks.json')])
    expect(t.code).toBe(1)
    expect(t.stderr).toMatch(/does not check: signature verification failed/)
    // Re-signed with another key under the same kid: the signature is not the sandbox's.
    const { kid } = decodeProtectedHeader(jws)
    const other = await generateKeyPair('ES256')
    const resigned = join(dir, 'resigned.jws')
    writeFileSync(
      resigned,
      await new SignJWT(forged)
        .setProtectedHeader({ alg: 'ES256', kid: kid!, typ: 'sandbox-twin-attestation+jwt' })
        .sign(other.privateKey),
    )
    const r = await runCli(['verify', resigned, '--jwks', join(reports, 'jwks.json')])
    expect(r.code).toBe(1)
    // ...and a JWKS swapped for the forger's own key does not name an attestation key of the sandbox.
    const fake = join(dir, 'fake-jwks.json')
    writeFileSync(
      fake,
      JSON.stringify({ keys: [{ ...(await exportJWK(other.publicKey)), kid: 'x' }] }),
    )
    expect((await runCli(['verify', join(reports, 'attestation.jws'), '--jwks', fake])).code).toBe(
      1,
    )
  })
})
