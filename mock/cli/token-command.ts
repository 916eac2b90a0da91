import type { Command } from 'commander'
import { call, remoteOptions, type RemoteFlags } from './report-command.js'

interface TokenFlags extends RemoteFlags {
  lifetime?: string
  privileges?: string
  label?: string
}

/**
 * `sandbox-twin token --client ID [--lifetime 18mo]`: mints a portal token (API Entreprise's
 * long-lived JWT) for a client of a running sandbox and prints it alone on stdout, so that
 * `TOKEN=$(sandbox-twin token --client c)` works; its jti and expiry go to stderr.
 */
export function registerTokenCommand(program: Command): void {
  remoteOptions(
    program
      .command('token')
      .description(
        'Mint a portal token (long-lived JWT listing its privileges) for a client of a running sandbox; needs the admin token.',
      ),
  )
    .option('--lifetime <duration>', 'lifetime: seconds, or 18mo, 1y, 90d, 12h (default 18mo)')
    .option(
      '--privileges <list>',
      "comma-separated subset of the client's privileges (default all)",
    )
    .option('--label <text>', 'a note shown when tokens are listed')
    .action(async (flags: TokenFlags) => {
      const body: Record<string, unknown> = {}
      if (flags.lifetime !== undefined)
        body.lifetime = /^\d+$/.test(flags.lifetime) ? Number(flags.lifetime) : flags.lifetime
      if (flags.privileges !== undefined)
        body.privileges = flags.privileges
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)
      if (flags.label !== undefined) body.label = flags.label
      const res = await call(
        flags,
        `/__sandbox/clients/${encodeURIComponent(flags.client)}/tokens`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
      )
      const minted = (await res.json()) as { token: string; jti: string; expires_at: string }
      process.stdout.write(`${minted.token}\n`)
      process.stderr.write(
        `sandbox-twin: portal token ${minted.jti} for ${flags.client}, expires ${minted.expires_at}; shown once, revoke with DELETE /__sandbox/clients/${flags.client}/tokens/${minted.jti}\n`,
      )
    })
}
