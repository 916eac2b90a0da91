import { spawn } from 'node:child_process'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLI, runCli, startCli } from '../helpers/cli.js'
import { tempFiles } from '../helpers/temp-files.js'

const ROOT = resolve(import.meta.dirname, '../..')
const VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version

/** Resolves once nothing answers at `url` any more (the server is gone). */
async function gone(url: string): Promise<void> {
  await expect
    .poll(
      () =>
        fetch(`${url}/__sandbox/health`).then(
          () => 'answering',
          () => 'gone',
        ),
      { timeout: 15_000, interval: 100 },
    )
    .toBe('gone')
}

describe('the command line, as a newcomer meets it', () => {
  it('prints its version', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await runCli([flag])
      expect(r.code).toBe(0)
      expect(r.stdout.trim()).toBe(VERSION)
    }
  })

  it('says "run with --help" once per usage error, after the error', async () => {
    for (const args of [['serve', '--prot', '80'], ['bogus'], ['report']]) {
      const r = await runCli(args)
      expect(r.code).toBe(2)
      expect(r.stderr.match(/run with --help/g)).toHaveLength(1)
      expect(r.stderr).toMatch(/^sandbox-twin: .+\n(.*\n)?\(run with --help for usage\)\n$/)
    }
  })

  it('names the flag or the environment variable the user typed, never an internal option', async () => {
    const flag = await runCli(['serve', '--state', 'memory', '--admin-token', 'short'])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toMatch(/^sandbox-twin: --admin-token must be at least 16 characters/)
    const env = await runCli(['serve', '--state', 'memory'], { SANDBOX_ADMIN_TOKEN: 'short' })
    expect(env.code).toBe(2)
    expect(env.stderr).toMatch(/^sandbox-twin: SANDBOX_ADMIN_TOKEN \(--admin-token\) must be/)
    const url = await runCli(['serve', '--state', 'memory', '--public-url', 'ftp://x'])
    expect(url.code).toBe(2)
    expect(url.stderr).toMatch(/^sandbox-twin: --public-url must be an http\(s\) URL/)
    const port = await runCli(['serve', '--state', 'memory'], { PORT: 'eighty' })
    expect(port.code).toBe(2)
    expect(port.stderr).toMatch(
      /value 'eighty' from env 'PORT' is invalid\. Expected a whole number/,
    )
    for (const r of [flag, env, url, port]) expect(r.stderr).not.toMatch(/option [a-z]+[A-Z]/)
  })

  it('says that report and certify lack credentials, and how to pass them', async () => {
    const env = { SANDBOX_ADMIN_TOKEN: '', SANDBOX_CLIENT_SECRET: '' }
    for (const command of ['report', 'certify']) {
      const r = await runCli([command, '--client', 'demo'], env)
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/no credentials/)
      expect(r.stderr).toMatch(/--admin-token \(or SANDBOX_ADMIN_TOKEN/)
      expect(r.stderr).toMatch(/--client-secret \(or SANDBOX_CLIENT_SECRET\)/)
      expect(r.stderr).not.toMatch(/cannot reach|is it running/)
    }
  })

  it('keeps a generated admin token with the state, owner-only, out of the journal, and says where', async () => {
    const dir = tempFiles({})
    const state = join(dir, 'kept', 'state.json')
    const tokenFile = join(dir, 'kept', 'admin-token')
    const env = { SANDBOX_ADMIN_TOKEN: '' }
    const first = await startCli(['--state', state], env)
    const banner = first.stdout()
    const token = /admin token: +(\S+)/.exec(banner)![1]!
    expect(banner).toContain(`kept in ${tokenFile} (mode 0600)`)
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(token)
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600)
    const res = await fetch(`${first.url}/__sandbox/clients`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(res.status).toBe(200)
    await first.stop()
    const second = await startCli(['--state', state], env)
    expect(/admin token: +(\S+)/.exec(second.stdout())![1]).toBe(token)
    await second.stop()
    const kept = readdirSync(join(dir, 'kept'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name !== 'admin-token')
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    expect(kept.length).toBeGreaterThan(1) // the state file and the journal
    for (const text of kept) expect(text).not.toContain(token)
    // A memory sandbox keeps nothing and says so.
    const memory = await startCli(['--state', 'memory'], env)
    expect(memory.stdout()).toMatch(/generated for this run: pass --admin-token/)
    await memory.stop()
  })

  it('stops with the process that started it, even killed (npm start)', async () => {
    // A parent that starts the sandbox as npm start does, then is killed outright.
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `const c = require('node:child_process').spawn(process.execPath, [${JSON.stringify(CLI)}, 'serve', '--port', '0', '--state', 'memory', '--exit-with-parent'], { stdio: ['ignore', 'pipe', 'inherit'] });
         c.stdout.on('data', (d) => process.stdout.write(d));`,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    )
    let out = ''
    const url = await new Promise<string>((ready) =>
      parent.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /listening on (http:\/\/\S+)/.exec(out)
        if (m) ready(m[1]!)
      }),
    )
    expect((await fetch(`${url}/__sandbox/health`)).status).toBe(200)
    parent.kill('SIGKILL')
    await gone(url)
  })

  it('runs npm start in npm’s place, so that killing npm stops the server', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
    expect(pkg.scripts.start).toMatch(/^exec node .* serve --exit-with-parent$/)
    const npm = spawn('npm', ['start', '--silent', '--', '--port', '0', '--state', 'memory'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    let out = ''
    const url = await new Promise<string>((ready) =>
      npm.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /listening on (http:\/\/\S+)/.exec(out)
        if (m) ready(m[1]!)
      }),
    )
    npm.kill('SIGKILL')
    await gone(url)
  })
})
