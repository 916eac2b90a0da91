import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLI } from '../helpers/cli.js'

/**
 * The README's shell lines, run as a reader pastes them: every `sh` block holding a `curl` command,
 * in order, in one shell, against a sandbox started as `npm start` starts it (default state in
 * `.sandbox/`, in a fresh folder). Convention: the comment line after a command gives the status it
 * must get (`# → 200 ...`); a curl command without one fails. Other commands (setting variables,
 * `sandbox-twin report`) must exit 0. A block that needs the network or another sandbox is preceded by
 * `<!-- readme-curl: not run (reason) -->`; the test lists those and fails on one without a reason.
 */

const ROOT = resolve(import.meta.dirname, '../..')
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
/** The address the README writes; replaced by the test sandbox's. */
const README_BASE = 'http://127.0.0.1:8080'

interface Command {
  /** The command as written, continuation lines joined. */
  text: string
  /** Line in README.md where it starts. */
  line: number
  /** Status the README says it gets (curl commands). */
  expected?: number
  curl: boolean
}

/** The marker of a block the test does not run, with its reason. */
const NOT_RUN = /^<!-- readme-curl: not run(?: \((.+)\))? -->$/

/** The `sh` blocks the test does not run: their first line and the reason given. */
export const notRun: { line: number; reason: string | undefined }[] = []

/** The commands of the README's `sh` blocks that hold a curl command, in order. */
export function readmeCommands(markdown: string): Command[] {
  const lines = markdown.split('\n')
  const commands: Command[] = []
  let inBlock = false
  let block: { start: number; lines: string[]; run: boolean } | undefined
  const blocks: { start: number; lines: string[] }[] = []
  lines.forEach((line, i) => {
    if (!inBlock && /^```(sh|bash|shell)\s*$/.test(line)) {
      inBlock = true
      const marker = NOT_RUN.exec(lines[i - 1] ?? '')
      if (marker) notRun.push({ line: i + 2, reason: marker[1] })
      block = { start: i + 2, lines: [], run: !marker }
    } else if (inBlock && /^```\s*$/.test(line)) {
      inBlock = false
      if (block!.run && block!.lines.some((l) => /(^|[\s($|])curl\s/.test(l))) blocks.push(block!)
    } else if (inBlock) block!.lines.push(line)
  })
  for (const b of blocks) {
    let current: Command | undefined
    let continuing = false
    b.lines.forEach((raw, i) => {
      const line = raw.trimEnd()
      if (continuing) {
        current!.text += `\n${line}`
        continuing = line.endsWith('\\')
        return
      }
      const status = /^\s*#\s*→\s*(\d{3})\b/.exec(line)
      if (status && current && current.expected === undefined) {
        current.expected = Number(status[1])
        return
      }
      if (line.trim() === '' || line.trim().startsWith('#')) return
      current = { text: line, line: b.start + i, curl: false }
      commands.push(current)
      continuing = line.endsWith('\\')
    })
  }
  for (const c of commands) c.curl = /(^|[\s($|])curl\s/.test(c.text)
  return commands
}

/** Starts the CLI as `npm start` does, in `cwd`, on a free port. */
function startSandbox(cwd: string): Promise<{ url: string; stop: () => void }> {
  return new Promise((ready, fail) => {
    const env = { ...process.env }
    for (const name of ['SANDBOX_ADMIN_TOKEN', 'SANDBOX_STATE', 'PORT']) delete env[name]
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) ready({ url: m[1]!, stop: () => child.kill('SIGTERM') })
    })
    child.on('exit', (code) => fail(new Error(`sandbox exited (${code}): ${err}`)))
  })
}

describe('the README’s curl lines', () => {
  const commands = readmeCommands(README)

  it('finds the first call and states a status after every curl command', () => {
    expect(commands.filter((c) => c.curl).length).toBeGreaterThanOrEqual(4)
    const unstated = commands.filter((c) => c.curl && c.expected === undefined)
    expect(
      unstated.map((c) => `README.md:${c.line}: ${c.text.split('\n')[0]}`),
      'write the status after each curl command: # → 200 ...',
    ).toEqual([])
    expect(notRun.filter((b) => !b.reason).map((b) => `README.md:${b.line}`)).toEqual([])
  })

  it('run in order against a sandbox and get the statuses the README states', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-twin-readme-'))
    const log = join(dir, 'statuses.log')
    const sandbox = await startSandbox(dir)
    try {
      // The README's sandbox is at the default address; the CLI's report finds this one through SANDBOX_URL.
      const prelude = `
cd ${JSON.stringify(dir)}
export SANDBOX_URL=${JSON.stringify(sandbox.url)}
curl() {
  local h; h=$(mktemp)
  command curl --max-time 20 -D "$h" "$@"; local rc=$?
  awk '/^HTTP\\//{s=$2} END{print (s=="" ? "none" : s)}' "$h" >> ${JSON.stringify(log)}
  rm -f "$h"; return $rc
}
sandbox-twin() { node ${JSON.stringify(CLI)} "$@"; }
npx() { if [ "$1" = sandbox-twin ]; then shift; node ${JSON.stringify(CLI)} "$@"; else command npx "$@"; fi; }
__after() { echo "#$1 $2" >> ${JSON.stringify(log)}; }
`
      const body = commands
        .map((c, i) => `${c.text.split(README_BASE).join(sandbox.url)}\n__after ${i} $?`)
        .join('\n')
      writeFileSync(log, '')
      const run = spawnSync('bash', ['-c', `${prelude}\n${body}`], {
        encoding: 'utf8',
        timeout: 120_000,
      })
      expect(run.status, run.stderr).toBe(0)
      // Statuses recorded since the previous marker belong to the command the marker closes.
      const results: { statuses: string[]; rc: number }[] = []
      let pending: string[] = []
      for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
        const marker = /^#(\d+) (\d+)$/.exec(line)
        if (!marker) pending.push(line)
        else {
          results[Number(marker[1])] = { statuses: pending, rc: Number(marker[2]) }
          pending = []
        }
      }
      const seen = commands.map((c, i) => ({
        at: `README.md:${c.line}`,
        rc: results[i]?.rc,
        ...(c.curl ? { status: results[i]?.statuses.join(',') } : {}),
      }))
      const wanted = commands.map((c) => ({
        at: `README.md:${c.line}`,
        rc: 0,
        ...(c.curl ? { status: String(c.expected) } : {}),
      }))
      expect(seen).toEqual(wanted)
    } finally {
      sandbox.stop()
    }
  }, 180_000)
})
