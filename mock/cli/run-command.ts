import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { Option, type Command } from 'commander'
import { createSandbox } from '../create-sandbox.js'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import { intFlag } from './flags.js'
import { toOptions, type ServeFlags } from './serve-command.js'
import { createClient, type ClientFlags } from './clients-command.js'
import { DEFAULTS } from '../options.js'

/** Exit code when the command ran past its deadline and was stopped. */
export const EXIT_DEADLINE = 124
/** Exit code when the command succeeded but the verdict is not `pass` (and not allowed). */
export const EXIT_VERDICT = 1

/** Flags of `sandbox-twin run`, beside the serve flags. */
interface RunFlags extends ServeFlags, ClientFlags {
  certify?: boolean
  pace: 'fast' | 'production'
  software?: string
  reportDir: string
  deadline: number
  grace: number
  allow: string[]
  verbose?: boolean
}

/** Serve flags `run` does not take: it listens on a free loopback port and stops with its command. */
const NOT_FOR_RUN = new Set(['--port', '--host', '--exit-with-parent', '--state', '--public-url'])

/**
 * `sandbox-twin run [serve flags] [--certify] [--report-dir DIR] -- <command ...>`: starts a sandbox
 * in this process on a free port, creates a client, runs the command with the sandbox's address and
 * the client's credentials in its environment, stops it at the deadline, then writes the verdict
 * (verdict.json, junit.xml, report.html, and attestation.jws for a certification run), prints a
 * one-screen summary and exits non-zero when the command failed or the verdict is not `pass`.
 */
export function registerRunCommand(program: Command): void {
  const serve = program.commands.find((c) => c.name() === 'serve')
  const run = program
    .command('run')
    .description(
      'Run a command (your test suite) against a fresh sandbox, then write and check the verdict on its client.',
    )
    .usage('[options] -- <command...>')
    .argument('<command...>', 'the command to run, after --')
  for (const option of serve?.options ?? []) {
    if (!NOT_FOR_RUN.has(option.long ?? '')) run.addOption(option)
  }
  run
    .addOption(
      new Option('--state <memory|redis-url>', 'where state lives (default: memory)').default(
        DEFAULTS.state,
      ),
    )
    .option('--certify', 'run a certification: every incident played, each in its own window')
    .addOption(
      new Option('--pace <pace>', 'certification pace: fast (CI) or production')
        .choices(['fast', 'production'])
        .default('fast'),
    )
    .option('--software <name@version>', 'the software and version under certification')
    .option('--report-dir <dir>', 'where to write the verdict files', 'sandbox-report')
    .addOption(
      new Option('--deadline <s>', 'stop the command after this many seconds')
        .default(300)
        .argParser(intFlag('--deadline', 1, 86_400)),
    )
    .addOption(
      new Option(
        '--grace <s>',
        "with --certify: how long the command may keep running once the certification's last step is over",
      )
        .default(10)
        .argParser(intFlag('--grace', 0, 3_600)),
    )
    .addOption(
      new Option('--allow <verdict>', 'accept this verdict besides pass (incomplete)')
        .choices(['incomplete'])
        .argParser((v: string, prev: string[] = []) => [...prev, v])
        .default([]),
    )
    .option('--verbose', "print the sandbox's own log lines too")
  addClientOptions(run)
  run.action(async (command: string[], flags: RunFlags) => {
    process.exitCode = await runCommand(command, flags)
  })
}

function addClientOptions(command: Command): void {
  command
    .option('--client-id <id>', 'id of the client created for the run', 'ci-client')
    .option('--label <text>', "the client's label")
    .option('--siret <siret>', "the client's SIRET")
    .option(
      '--privileges <list>',
      'privileges the client may ask for (comma-separated; default: every privilege the contract knows)',
    )
    .option('--single-use', "every token the client gets is single-use (the Douane's model)")
    .addOption(
      new Option('--token-lifetime <s>', 'access token lifetime, seconds').argParser(
        intFlag('--token-lifetime', DEFAULTS.tokens.minLifetime, DEFAULTS.tokens.maxLifetime),
      ),
    )
}

async function runCommand(command: string[], flags: RunFlags): Promise<number> {
  if (command.length === 0)
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_OPTION,
      'give the command to run after --, e.g. sandbox-twin run --certify -- npm test',
    )
  const say = (line: string): void => {
    process.stderr.write(`sandbox-twin: ${line}\n`)
  }
  const sandbox = await createSandbox({
    ...toOptions({ ...flags, port: 0, host: '127.0.0.1' }),
    log: flags.verbose ? (line: string) => process.stderr.write(`  ${line}\n`) : () => undefined,
  })
  const { url } = await sandbox.listen(0, '127.0.0.1')
  const admin = {
    authorization: `Bearer ${sandbox.adminToken}`,
    'content-type': 'application/json',
  }
  try {
    // By default the client may ask for every privilege the contract knows: least privilege is
    // then what its token requests show.
    const client = await createClient(url, admin, {
      ...flags,
      privileges: flags.privileges ?? sandbox.context.auth.privileges.join(','),
    })
    const env: Record<string, string> = {
      SANDBOX_URL: url,
      SANDBOX_TOKEN_URL: `${url}/oauth/token`,
      SANDBOX_CLIENT_ID: client.client_id,
      SANDBOX_CLIENT_SECRET: client.client_secret,
    }
    const portal = await mintPortalToken(url, admin, client.client_id)
    if (portal) env.SANDBOX_TOKEN = portal
    const started = Date.now()
    if (flags.certify) {
      const res = await fetch(`${url}/__sandbox/certification`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({
          client_id: client.client_id,
          pace: flags.pace,
          ...(flags.software ? { software: flags.software } : {}),
        }),
      })
      if (res.status !== 201) throw await refused('starting the certification', res)
    }
    say(
      `sandbox at ${url}, client ${client.client_id}${flags.certify ? `, ${flags.pace} certification` : ''}; running: ${command.join(' ')}`,
    )
    // The certification's code (and the report's it uses) is loaded for a certification only.
    const certification = flags.certify
      ? await import('../certification/certification-service.js')
      : undefined
    const child = runChild(command, env, flags.deadline * 1000)
    // A certification is over once its last step's window has closed: the command is given the
    // grace period to finish, then stopped, so that a client that never stops calling (or hangs on a
    // held call) gets its verdict, not only a deadline.
    const watch = certification
      ? watchCertification(
          () => certification.certificationStatus(sandbox.context, client.client_id),
          () => {
            say(
              `the certification ended ${flags.grace} s ago and the command is still running: stopping it`,
            )
            child.stop('certification')
          },
          flags.grace * 1000,
        )
      : undefined
    const outcome = await child.outcome.finally(() => watch?.stop())
    const seconds = (Date.now() - started) / 1000
    const files = await writeReports(url, admin, client.client_id, resolve(flags.reportDir), {
      attestation: flags.certify === true,
    })
    const verdictOk = files.verdict === 'pass' || flags.allow.includes(files.verdict)
    process.stdout.write(summary(files, outcome, seconds, flags))
    if (outcome.stopped === 'deadline') return EXIT_DEADLINE
    // Stopped once the certification was over: the verdict is what the run is for.
    if (outcome.stopped === 'certification') return verdictOk ? 0 : EXIT_VERDICT
    if (outcome.code !== 0) return outcome.code || 1
    return verdictOk ? 0 : EXIT_VERDICT
  } finally {
    await sandbox.close()
  }
}

/** Mints a portal token for the client, where its token model allows one. */
async function mintPortalToken(
  url: string,
  admin: Record<string, string>,
  clientId: string,
): Promise<string | undefined> {
  const res = await fetch(`${url}/__sandbox/clients/${encodeURIComponent(clientId)}/tokens`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ label: 'sandbox-twin run' }),
  }).catch(() => undefined)
  if (!res || res.status !== 201) return undefined
  return ((await res.json()) as { token?: string }).token
}

async function refused(what: string, res: Response): Promise<SandboxConfigError> {
  const text = await res.text()
  let detail = text
  try {
    detail = (JSON.parse(text) as { detail?: string }).detail ?? text
  } catch {
    // not a problem document
  }
  return new SandboxConfigError(SANDBOX_ERRORS.BAD_OPTION, `${what}: ${res.status} ${detail}`)
}

/** Why the runner stopped the command, if it did. */
type StopReason = 'deadline' | 'certification'

interface ChildOutcome {
  code: number
  stopped?: StopReason
}

interface RunningChild {
  outcome: Promise<ChildOutcome>
  /** Stops the command: SIGTERM, then SIGKILL 5 s later. */
  stop(reason: StopReason): void
}

/** Runs the command with the sandbox's variables, stopping it (SIGTERM, then SIGKILL) at the deadline. */
function runChild(
  command: string[],
  env: Record<string, string>,
  deadlineMs: number,
): RunningChild {
  // node:child_process is loaded here, not at every start of the CLI (about 7 ms).
  const { spawn } = process.getBuiltinModule('node:child_process')
  const child = spawn(command[0]!, command.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, ...env },
    shell: command.length === 1 && /\s/.test(command[0]!),
  })
  let stopped: StopReason | undefined
  const stop = (reason: StopReason): void => {
    if (stopped || child.exitCode !== null || child.signalCode !== null) return
    stopped = reason
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 5000).unref()
  }
  const outcome = new Promise<ChildOutcome>((done, fail) => {
    const timer = setTimeout(() => {
      process.stderr.write(
        `sandbox-twin: the command ran past its ${deadlineMs / 1000} s deadline: stopping it\n`,
      )
      stop('deadline')
    }, deadlineMs)
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      fail(
        new SandboxConfigError(
          SANDBOX_ERRORS.BAD_OPTION,
          err.code === 'ENOENT'
            ? `cannot run ${command[0]}: no such command (check the words after --)`
            : `cannot run ${command[0]}: ${err.message}`,
        ),
      )
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      done({ code: code ?? (signal ? 128 + 15 : 1), ...(stopped ? { stopped } : {}) })
    })
  })
  return { outcome, stop }
}

/**
 * Polls the certification run (once a second, real time) and calls `ended` `graceMs` after its last
 * step's window has closed. Returns a handle that stops polling.
 */
function watchCertification(
  status: () => Promise<{ state: 'running' | 'over' } | undefined>,
  ended: () => void,
  graceMs: number,
): { stop(): void } {
  let overSince: number | undefined
  let done = false
  const timer = setInterval(() => {
    void status()
      .then((s) => {
        if (done || s?.state !== 'over') return
        overSince ??= Date.now()
        if (Date.now() - overSince >= graceMs) {
          done = true
          clearInterval(timer)
          ended()
        }
      })
      .catch(() => undefined)
  }, 1000)
  timer.unref()
  return {
    stop() {
      done = true
      clearInterval(timer)
    },
  }
}

interface WrittenReports {
  dir: string
  verdict: string
  checks: Array<{ id: string; status: string; summary: string }>
  steps?: Array<{ id: string; reached: boolean; played: boolean; judged: boolean }>
  files: string[]
}

/** Fetches the verdict in every format and writes it to the report folder. */
async function writeReports(
  url: string,
  admin: Record<string, string>,
  clientId: string,
  dir: string,
  options: { attestation: boolean },
): Promise<WrittenReports> {
  // The journal writer flushes in batches: wait until the last call's entry is there.
  await new Promise((r) => setTimeout(r, 200))
  await mkdir(dir, { recursive: true })
  const get = async (format: string): Promise<string> => {
    const res = await fetch(
      `${url}/__sandbox/report?client=${encodeURIComponent(clientId)}&format=${format}`,
      { headers: admin },
    )
    if (res.status !== 200) throw await refused(`reading the ${format} report`, res)
    return res.text()
  }
  const json = await get('json')
  const files = [
    ['verdict.json', json],
    ['junit.xml', await get('junit')],
    ['report.html', await get('html')],
  ] as Array<[string, string]>
  if (options.attestation) {
    files.push(['attestation.jws', `${await get('attestation')}\n`])
    // The public keys that check it offline (sandbox-twin verify ... --jwks jwks.json).
    const jwks = await fetch(`${url}/.well-known/jwks.json`)
    files.push(['jwks.json', `${await jwks.text()}\n`])
  }
  for (const [name, text] of files) await writeFile(join(dir, name), text)
  const report = JSON.parse(json) as Pick<WrittenReports, 'verdict' | 'checks' | 'steps'>
  return { dir, ...report, files: files.map(([name]) => name) }
}

/** The one-screen summary. */
function summary(
  r: WrittenReports,
  outcome: ChildOutcome,
  seconds: number,
  flags: RunFlags,
): string {
  const mark = (s: string): string => (s === 'pass' ? 'ok  ' : s === 'fail' ? 'FAIL' : '--  ')
  const lines = [
    '',
    `sandbox-twin run: command ${
      outcome.stopped === 'deadline'
        ? `stopped at the ${flags.deadline} s deadline`
        : outcome.stopped === 'certification'
          ? `stopped ${flags.grace} s after the certification ended (it was still running)`
          : `exited ${outcome.code}`
    } after ${seconds.toFixed(1)} s`,
  ]
  if (r.steps) {
    const missing = r.steps.filter((s) => !s.reached || !s.played).map((s) => s.id)
    lines.push(
      `certification (${flags.pace}): ${r.steps.filter((s) => s.played).length}/${r.steps.length} steps played${missing.length ? `; not reached or not played: ${missing.join(', ')}` : ''}`,
    )
  }
  for (const c of r.checks) lines.push(`  ${mark(c.status)} ${c.id.padEnd(16)} ${c.summary}`)
  const allowed = flags.allow.includes(r.verdict) ? ` (allowed by --allow ${r.verdict})` : ''
  lines.push(`verdict: ${r.verdict}${allowed}`)
  lines.push(`report: ${r.files.map((f) => join(r.dir, f)).join(', ')}`, '')
  return lines.join('\n')
}
