import { Command, CommanderError } from 'commander'
import { SandboxConfigError } from '../errors.js'
import { packageVersion } from '../options.js'
import { registerReportCommands } from './report-command.js'
import { registerServeCommand } from './serve-command.js'
import { registerTokenCommand } from './token-command.js'
import { registerRunCommand } from './run-command.js'
import { registerClientsCommand } from './clients-command.js'
import { registerVerifyCommand } from './verify-command.js'

/** Exit code of a usage or configuration error (bad flag, bad contract, bad fixture). */
export const EXIT_USAGE = 2

/** The `sandbox-twin` command line; every sub-command registers itself here. */
export function buildProgram(): Command {
  const program = new Command('sandbox-twin')
    .description(
      'A sandbox twin of a production REST/JSON API: contract-driven, coherent fictitious data, real OAuth2, scripted production pushback.',
    )
    .version(packageVersion(), '-v, --version', 'print the version and exit')
    .exitOverride()
    .configureOutput({ outputError: () => undefined })
    .configureHelp({ helpWidth: 110 })
  registerServeCommand(program)
  registerReportCommands(program)
  registerTokenCommand(program)
  registerRunCommand(program)
  registerClientsCommand(program)
  registerVerifyCommand(program)
  return program
}

/** Reports an error the way a user needs it: one line, no stack trace, and the exit code. */
export function reportFailure(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return 0
    // No command given: commander has already printed the help, to stderr.
    if (err.code === 'commander.help') return EXIT_USAGE
    process.stderr.write(
      `sandbox-twin: ${err.message.replace(/^error: /, '')}\n(run with --help for usage)\n`,
    )
    return EXIT_USAGE
  }
  if (err instanceof SandboxConfigError) {
    process.stderr.write(`sandbox-twin: ${err.message}\n`)
    return EXIT_USAGE
  }
  process.stderr.write(
    `sandbox-twin: unexpected failure: ${err instanceof Error ? err.message : String(err)}\n`,
  )
  return 1
}
