import { resolve } from 'node:path'
import { Option, type Command } from 'commander'
import { createSandbox, type Sandbox } from '../create-sandbox.js'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import { DEFAULTS, PACKAGE_ROOT, type SandboxOptions } from '../options.js'
import { printBanner } from './banner.js'
import { dayFlag, intFlag, numberFlag, shareFlag } from './flags.js'

/** Flags of `sandbox-twin serve`, as commander parses them. */
export interface ServeFlags {
  port: number
  host: string
  /** Every `--contract` given: the first is the main one, the others are served beside it. */
  contract?: string[]
  apis?: string
  allowRemoteRefs?: boolean
  keepAliveTimeout: number
  referenceDay?: string
  fixtures?: string
  fixtureCheck: 'summary' | 'warn' | 'error'
  scenarios?: string
  seed: number
  locale?: 'fr' | 'en'
  nullRate?: number
  state: string
  adminToken?: string
  publicUrl?: string
  rateLimits?: string
  auth: boolean
  journal: boolean
  trustProxy: boolean
  delayFactor: number
  redisWait: number
  processing?: string
  enforceSunset?: boolean
  /** `false` with --no-console. */
  console: boolean
  consoleSignup: 'open' | 'invite' | 'off'
  consoleIdleTimeout: number
  exitWithParent?: boolean
}

/** The bundled Douane-EDI-shaped contract, served beside the default one by a bare `serve`. */
export const BUNDLED_DOUANE = resolve(PACKAGE_ROOT, 'fixtures', 'douane-edi-contract.yaml')

/** `sandbox-twin serve`: loads the contract and listens until SIGTERM or SIGINT. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'Serve the contract with coherent fictitious data, OAuth2 tokens and scripted production pushback.',
    )
    .addOption(
      new Option('--port <n>', 'TCP port to listen on')
        .env('PORT')
        .default(DEFAULTS.cli.port)
        .argParser(intFlag('--port', 0, 65535)),
    )
    .addOption(
      new Option(
        '--host <address>',
        'address to listen on (the Docker image uses 0.0.0.0)',
      ).default(DEFAULTS.cli.host),
    )
    .addOption(
      new Option(
        '--contract <file>',
        'OpenAPI 3.0/3.1 contract, YAML or JSON; give it again to serve several APIs behind one authorization server (default for serve: the bundled API-Entreprise-shaped twin, with the Douane-shaped one beside it)',
      ).argParser((file: string, before: string[] | undefined) => [...(before ?? []), file]),
    )
    .addOption(
      new Option(
        '--apis <file>',
        'YAML file of the APIs served beside the main contract: contract, name, prefix, privileges, rate_limits, field_scopes, fixtures',
      ),
    )
    .addOption(
      new Option(
        '--allow-remote-refs',
        "download the documents that the contracts' $refs name by an http(s) URL (default: refused, start-up names the $ref)",
      ),
    )
    .addOption(
      new Option(
        '--fixtures <dir>',
        'fixture cases, one folder per operation id (staging format: params, status, payload)',
      ),
    )
    .addOption(
      new Option(
        '--fixture-check <mode>',
        'fixture cases that contradict the contract: summary (one line), warn (one line each) or error (refuse a payload outside the schema)',
      )
        .choices(['summary', 'warn', 'error'])
        .default(DEFAULTS.fixtureCheck),
    )
    .addOption(new Option('--scenarios <dir>', 'extra scenario files, added to the bundled ones'))
    .addOption(
      new Option(
        '--locale <lang>',
        "language of generated data and errors (default: the contract's)",
      ).choices(['fr', 'en']),
    )
    .addOption(
      new Option('--seed <n>', 'seed of all generated data')
        .default(DEFAULTS.seed)
        .argParser(intFlag('--seed', 0, 2 ** 31 - 1)),
    )
    .addOption(
      new Option(
        '--reference-day <YYYY-MM-DD>',
        'the day generated data treats as today, for answers byte-identical from one day to the next (default: the day the sandbox starts)',
      ).argParser(dayFlag('--reference-day')),
    )
    .addOption(
      new Option(
        '--null-rate <share>',
        'share (0 to 1) of nullable fields answered null although a value fits, for robustness tests (default 0)',
      ).argParser(shareFlag('--null-rate')),
    )
    .addOption(
      new Option(
        '--state <file|memory|redis-url>',
        'where state lives: a lowdb file, memory, or redis://host:port/db',
      )
        .env('SANDBOX_STATE')
        .default(DEFAULTS.cli.state),
    )
    .addOption(
      new Option(
        '--admin-token <token>',
        'admin token for /__sandbox/ (default: generated and printed)',
      ).env('SANDBOX_ADMIN_TOKEN'),
    )
    .addOption(
      new Option(
        '--public-url <url>',
        'base URL clients reach the sandbox at, used in document links (default: http://<host>:<port>)',
      ),
    )
    .addOption(
      new Option(
        '--rate-limits <file|off>',
        'rate-limit table, or off (default: the bundled API Entreprise table)',
      ),
    )
    .addOption(
      new Option(
        '--processing <folder>',
        'processing files of write operations: statuses, delays, probabilities (default: the bundled ones)',
      ),
    )
    .addOption(
      new Option(
        '--enforce-sunset',
        'answer 410 Gone to deprecated operations once their sunset date has passed on the client clock',
      ),
    )
    .addOption(new Option('--no-auth', 'serve operations without tokens, like a plain mock'))
    .addOption(
      new Option(
        '--no-journal',
        'record no journal (no verdict either); for load tests of your own code',
      ),
    )
    .addOption(
      new Option(
        '--trust-proxy',
        'behind one load balancer: the client address is the last X-Forwarded-For entry',
      ),
    )
    .addOption(
      new Option(
        '--keep-alive-timeout <seconds>',
        'how long an idle keep-alive connection stays open; keep it above the idle timeout of the load balancer or proxy in front (headers timeout: one second more)',
      )
        .default(DEFAULTS.keepAliveTimeout)
        .argParser(intFlag('--keep-alive-timeout', 1, 86_400)),
    )
    .addOption(
      new Option(
        '--delay-factor <x>',
        'scale real delays of scenarios (504 wait, latency); 0.01 turns 10 s into 100 ms',
      )
        .default(DEFAULTS.delayFactor)
        .argParser(numberFlag('--delay-factor')),
    )
    .addOption(
      new Option(
        '--redis-wait <seconds>',
        'with --state redis://...: how long start-up waits for Redis before it exits 2',
      )
        .default(DEFAULTS.redisWait)
        .argParser(numberFlag('--redis-wait')),
    )
    .addOption(
      new Option('--no-console', 'serve no web console (/console/): the API and /__sandbox/ only'),
    )
    .addOption(
      new Option(
        '--console-signup <mode>',
        'who may create an account in the web console (/console/): open, invite (codes made by the admin) or off',
      )
        .choices(['open', 'invite', 'off'])
        .default(DEFAULTS.console.signup),
    )
    .addOption(
      new Option(
        '--console-idle-timeout <s>',
        'a console session ends after this many idle seconds',
      )
        .default(DEFAULTS.console.idleTimeout)
        .argParser(intFlag('--console-idle-timeout', 60, 86_400)),
    )
    .addOption(
      new Option(
        '--exit-with-parent',
        'stop when the process that started the sandbox dies, even killed (npm start uses it)',
      ),
    )
    .action(async (flags: ServeFlags, command: Command) => {
      checkFlags(flags, command)
      // Without a contract named, serve shows both bundled APIs behind one authorization server.
      const sandbox = await createSandbox({
        ...(flags.contract || flags.apis ? {} : { apis: [BUNDLED_DOUANE] }),
        ...toOptions(flags),
      })
      const { url } = await sandbox
        .listen(flags.port, flags.host)
        .catch(async (err: NodeJS.ErrnoException) => {
          await sandbox.close()
          if (err.code !== 'EADDRINUSE' && err.code !== 'EACCES' && err.code !== 'EADDRNOTAVAIL')
            throw err
          const why =
            err.code === 'EADDRINUSE'
              ? 'is already in use'
              : err.code === 'EACCES'
                ? 'needs privileges this user lacks'
                : 'is not an address of this machine'
          throw new SandboxConfigError(
            SANDBOX_ERRORS.BAD_OPTION,
            `cannot listen on ${flags.host}:${flags.port}: it ${why}. Choose another with --port or --host.`,
          )
        })
      const stop = closeOnSignals(sandbox)
      if (flags.exitWithParent) exitWithParent(stop)
      await printBanner(sandbox, url)
    })
}

/**
 * Checks the flags whose faults createSandbox would report under its option names, so that the
 * message names what the user typed: the flag, or the environment variable that set it.
 */
function checkFlags(flags: ServeFlags, command: Command): void {
  const named = (key: string, flag: string, env: string): string =>
    command.getOptionValueSource(key) === 'env' ? `${env} (--${flag})` : `--${flag}`
  if (flags.adminToken && flags.adminToken.length < 16)
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_OPTION,
      `${named('adminToken', 'admin-token', 'SANDBOX_ADMIN_TOKEN')} must be at least 16 characters long (got ${flags.adminToken.length}); leave it out to use a generated one.`,
    )
  if (flags.apis && flags.contract && flags.contract.length > 1)
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_OPTION,
      '--apis and a second --contract both name APIs to serve beside the main one: list them all in the --apis file.',
    )
  if (flags.publicUrl !== undefined && !/^https?:\/\/[^/]+/.test(flags.publicUrl))
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_OPTION,
      `--public-url must be an http(s) URL such as https://sandbox.example.org, got ${flags.publicUrl}`,
    )
}

/** Sandbox options from the serve flags (`run` takes the same). */
export function toOptions(flags: ServeFlags): SandboxOptions {
  return {
    ...(flags.contract?.[0] ? { contract: resolve(flags.contract[0]) } : {}),
    ...(flags.apis
      ? { apis: resolve(flags.apis) }
      : flags.contract && flags.contract.length > 1
        ? { apis: flags.contract.slice(1).map((f) => resolve(f)) }
        : {}),
    ...(flags.allowRemoteRefs ? { allowRemoteRefs: true } : {}),
    ...(flags.fixtures ? { fixtures: resolve(flags.fixtures) } : {}),
    fixtureCheck: flags.fixtureCheck,
    ...(flags.scenarios ? { scenarios: resolve(flags.scenarios) } : {}),
    seed: flags.seed,
    ...(flags.referenceDay ? { referenceDay: flags.referenceDay } : {}),
    ...(flags.locale ? { locale: flags.locale } : {}),
    ...(flags.nullRate !== undefined ? { nullRate: flags.nullRate } : {}),
    state:
      flags.state === 'memory' || /^rediss?:\/\//.test(flags.state)
        ? flags.state
        : resolve(flags.state),
    ...(flags.adminToken ? { adminToken: flags.adminToken } : {}),
    // Read from the environment only: a flag would show the key in the process list.
    ...(process.env.SANDBOX_STATE_KEY ? { stateKey: process.env.SANDBOX_STATE_KEY } : {}),
    // Without --public-url, the issuer and metadata follow the listening address, links each
    // request's host.
    ...(flags.publicUrl ? { publicUrl: flags.publicUrl } : {}),
    ...(flags.rateLimits ? { rateLimits: flags.rateLimits } : {}),
    ...(flags.processing ? { processing: resolve(flags.processing) } : {}),
    ...(flags.enforceSunset ? { enforceSunset: true } : {}),
    auth: flags.auth,
    trustProxy: flags.trustProxy === true,
    ...(flags.journal ? {} : { journal: { enabled: false } }),
    delayFactor: flags.delayFactor,
    keepAliveTimeout: flags.keepAliveTimeout,
    redisWait: flags.redisWait,
    console: {
      enabled: flags.console,
      signup: flags.consoleSignup,
      idleTimeout: flags.consoleIdleTimeout,
    },
  }
}

/** On SIGTERM or SIGINT: stop accepting, flush the store and the journal, then exit. Returns the stop. */
function closeOnSignals(sandbox: Sandbox): (why: string) => void {
  let stopping = false
  const stop = (why: string): void => {
    if (stopping) return
    stopping = true
    process.stderr.write(`sandbox-twin: ${why}, flushing state and journal\n`)
    sandbox.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(
          `sandbox-twin: close failed: ${err instanceof Error ? err.message : String(err)}\n`,
        )
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM received'))
  process.on('SIGINT', () => stop('SIGINT received'))
  return stop
}

/** How often the parent is looked for, ms. */
const PARENT_CHECK_MS = 500

/**
 * Stops the sandbox when the process that started it goes away, even killed outright (a killed
 * `npm start` would otherwise leave the server holding its port): the parent's death makes this
 * process an orphan, whose parent id changes.
 */
function exitWithParent(stop: (why: string) => void): void {
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    stop(`the parent process (${parent}) is gone`)
  }, PARENT_CHECK_MS)
  timer.unref()
}
