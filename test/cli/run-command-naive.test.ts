import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli, type CliResult } from '../helpers/cli.js'
import { tempFiles } from '../helpers/temp-files.js'

const NAIVE = resolve(import.meta.dirname, '../clients/naive-client.mjs')

describe('sandbox-twin run --certify with the naive reference client', () => {
  const dir = tempFiles({})
  const reports = join(dir, 'report')
  let result: CliResult
  beforeAll(async () => {
    result = await runCli([
      'run',
      '--certify',
      '--report-dir',
      reports,
      '--',
      process.execPath,
      NAIVE,
    ])
  }, 180_000)

  it('fails: non-zero exit, every step played, the failed checks in the summary, the report files written', () => {
    expect(result.stderr).not.toMatch(/unexpected failure/)
    // The verdict, not the deadline: a client that keeps calling (or hangs on a held call) once the
    // certification is over is stopped after the grace period, and the run ends on its verdict.
    expect(result.code).toBe(1)
    expect(result.stdout).not.toMatch(/deadline/)
    // Hammering the API earns it bans and 429s, yet every step's incident was played.
    expect(result.stdout).toMatch(/certification \(fast\): 10\/10 steps played/)
    expect(result.stdout).toMatch(/verdict: fail/)
    for (const id of ['token-reuse', 'no-browser'])
      expect(result.stdout).toMatch(new RegExp(`FAIL ${id}`))
    for (const file of ['verdict.json', 'junit.xml', 'report.html'])
      expect(existsSync(join(reports, file))).toBe(true)
  })
})

describe('sandbox-twin run: the command and its deadline', () => {
  it('exits with the command failure when the command fails, and 124 past the deadline', async () => {
    const dir = tempFiles({})
    const failed = await runCli([
      'run',
      '--allow',
      'incomplete',
      '--report-dir',
      join(dir, 'a'),
      '--',
      process.execPath,
      '-e',
      'if (!process.env.SANDBOX_URL || !process.env.SANDBOX_CLIENT_SECRET) process.exit(9); process.exit(3)',
    ])
    expect(failed.code).toBe(3)
    expect(existsSync(join(dir, 'a', 'verdict.json'))).toBe(true)
    const late = await runCli([
      'run',
      '--deadline',
      '1',
      '--report-dir',
      join(dir, 'b'),
      '--',
      process.execPath,
      '-e',
      'setTimeout(() => {}, 60000)',
    ])
    expect(late.code).toBe(124)
    expect(late.stderr).toMatch(/past its 1 s deadline/)
  })

  it('says what to do without a command', async () => {
    const none = await runCli(['run'])
    expect(none.code).toBe(2)
  })
})
