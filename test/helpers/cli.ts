import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

/** The CLI as it ships: the bundle `npm run build` makes (`npm test` builds it first). */
export const CLI = resolve(import.meta.dirname, '../../dist/bundle/sandbox-twin.mjs')

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

function requireBuild(): void {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run "npm run build" first (npm test does it).`)
}

/** Runs the CLI to completion (for commands that exit by themselves). */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  requireBuild()
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('close', (code) => done({ code, stdout, stderr }))
  })
}

export interface RunningCli {
  child: ChildProcess
  url: string
  stdout: () => string
  stop: (signal?: NodeJS.Signals) => Promise<CliResult>
}

/** Starts `sandbox-twin serve` on a free port and resolves once it prints its URL. */
export function startCli(args: string[], env: Record<string, string> = {}): Promise<RunningCli> {
  requireBuild()
  return new Promise((ready, fail) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    const exited = new Promise<CliResult>((done) =>
      child.on('close', (code) => done({ code, stdout, stderr })),
    )
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString()
      const m = /listening on (http:\/\/\S+)/.exec(stdout)
      if (m)
        ready({
          child,
          url: m[1]!,
          stdout: () => stdout,
          stop: (signal = 'SIGTERM') => (child.kill(signal), exited),
        })
    })
    void exited.then((r) =>
      fail(new Error(`sandbox-twin exited (${r.code}) before listening: ${r.stderr}`)),
    )
  })
}
