import { Option, type Command } from 'commander'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import { VERDICT_HEADER } from '../report/verdict-header.js'

/** How the report, certify and token commands reach a running sandbox. */
export interface RemoteFlags {
  url: string
  client: string
  adminToken?: string
  clientSecret?: string
}

interface ReportFlags extends RemoteFlags {
  format: 'json' | 'junit' | 'html'
  from?: string
  to?: string
  all?: boolean
  exitCode?: boolean
}

/** Exit code of `report --exit-code` when the verdict is not `pass` (fail, incomplete, unknown client). */
export const EXIT_VERDICT_FAIL = 1

export const remoteOptions = (command: Command): Command =>
  command
    .addOption(
      new Option('--url <url>', 'base URL of the running sandbox')
        .env('SANDBOX_URL')
        .default('http://127.0.0.1:8080'),
    )
    .requiredOption('--client <id>', 'the sandbox client')
    .addOption(
      new Option('--admin-token <token>', 'admin token (any client)').env('SANDBOX_ADMIN_TOKEN'),
    )
    .addOption(
      new Option(
        '--client-secret <secret>',
        "the client's own secret, instead of the admin token",
      ).env('SANDBOX_CLIENT_SECRET'),
    )

function authorization(flags: RemoteFlags): string {
  if (flags.adminToken) return `Bearer ${flags.adminToken}`
  if (flags.clientSecret) {
    return `Basic ${Buffer.from(`${encodeURIComponent(flags.client)}:${encodeURIComponent(flags.clientSecret)}`).toString('base64')}`
  }
  throw new SandboxConfigError(
    SANDBOX_ERRORS.BAD_OPTION,
    "no credentials to read the sandbox with: pass the admin token with --admin-token (or SANDBOX_ADMIN_TOKEN; a sandbox started with a state file keeps a generated one in .sandbox/admin-token), or the client's own secret with --client-secret (or SANDBOX_CLIENT_SECRET).",
  )
}

/** Calls the sandbox; a refusal or an unreachable sandbox becomes a one-line error. */
export async function call(
  flags: RemoteFlags,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const url = `${flags.url.replace(/\/+$/, '')}${path}`
  const credentials = authorization(flags) // missing credentials are said as such, before any call
  let res: Response
  try {
    res = await fetch(url, {
      ...init,
      headers: { authorization: credentials, ...(init.headers as Record<string, string>) },
    })
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_OPTION,
      `cannot reach the sandbox at ${flags.url} (${cause}); is it running? Pass --url or SANDBOX_URL.`,
    )
  }
  if (res.ok) return res
  const text = await res.text()
  let detail = text
  try {
    detail = (JSON.parse(text) as { detail?: string }).detail ?? text
  } catch {
    // not a problem document: the text as it is
  }
  throw new SandboxConfigError(
    SANDBOX_ERRORS.BAD_OPTION,
    `${init.method ?? 'GET'} ${path} answered ${res.status}: ${detail}`,
  )
}

/**
 * `sandbox-twin report --client ID --format junit > report.xml`: fetches the verdict on a client's run
 * from a running sandbox and prints it. `sandbox-twin certify --client ID`: starts a certification run
 * (arms the `certification` scenario sequence) and prints where its report will be.
 */
export function registerReportCommands(program: Command): void {
  remoteOptions(
    program
      .command('report')
      .description("Print the verdict on a client's run (from the running sandbox's journal)."),
  )
    .addOption(
      new Option('--format <format>', 'json, junit (for CI) or html (for a certification file)')
        .choices(['json', 'junit', 'html'])
        .default('json'),
    )
    .option(
      '--from <time>',
      'judge calls from this time (ISO 8601); default: the latest certification run, else everything',
    )
    .option('--to <time>', 'judge calls before this time (ISO 8601)')
    .option('--all', 'judge the whole journal, not only the latest certification run')
    .option(
      '--exit-code',
      `exit with ${EXIT_VERDICT_FAIL} unless the verdict is pass (fail, incomplete, unknown client)`,
    )
    .action(async (flags: ReportFlags) => {
      const query = new URLSearchParams({ client: flags.client, format: flags.format })
      if (flags.from) query.set('from', flags.from)
      if (flags.to) query.set('to', flags.to)
      if (flags.all) query.set('run', 'all')
      let res: Response
      try {
        res = await call(flags, `/__sandbox/report?${query.toString()}`)
      } catch (err) {
        // An unknown client has no verdict: with --exit-code, that is a failure, not a usage error.
        if (
          flags.exitCode &&
          err instanceof SandboxConfigError &&
          / answered 404:/.test(err.message)
        ) {
          process.stderr.write(`sandbox-twin: ${err.message}\n`)
          process.exitCode = EXIT_VERDICT_FAIL
          return
        }
        throw err
      }
      process.stdout.write(await res.text())
      const verdict = res.headers.get(VERDICT_HEADER)
      if (verdict) process.stderr.write(`sandbox-twin: verdict for ${flags.client}: ${verdict}\n`)
      if (flags.exitCode && verdict !== 'pass') process.exitCode = EXIT_VERDICT_FAIL
    })

  remoteOptions(
    program
      .command('certify')
      .description(
        "Start a certification run for a client: every step played from its next call, each in its own window on the client's sandbox clock.",
      ),
  )
    .addOption(
      new Option('--pace <pace>', 'fast (short waits, for CI) or production (production values)')
        .choices(['fast', 'production'])
        .default('fast'),
    )
    .option('--software <name@version>', 'the software and version under certification')
    .action(async (flags: RemoteFlags & { pace: string; software?: string }) => {
      const res = await call(flags, '/__sandbox/certification', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...(flags.adminToken ? { client_id: flags.client } : {}),
          pace: flags.pace,
          ...(flags.software ? { software: flags.software } : {}),
        }),
      })
      process.stdout.write(`${JSON.stringify(await res.json(), null, 2)}\n`)
    })
}
