import { Option, type Command } from 'commander'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import { intFlag } from './flags.js'

/** Client settings a command line may give. */
export interface ClientFlags {
  clientId?: string
  label?: string
  siret?: string
  privileges?: string
  singleUse?: boolean
  tokenLifetime?: number
}

/** A client as the admin API answers its creation (the secret shown once). */
export interface CreatedClient {
  client_id: string
  client_secret: string
  [key: string]: unknown
}

/** Splits a comma- or space-separated list. */
export const parseList = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)

/** The admin API body for a client's creation. */
export function clientBody(flags: ClientFlags): Record<string, unknown> {
  return {
    ...(flags.clientId ? { client_id: flags.clientId } : {}),
    ...(flags.label ? { label: flags.label } : {}),
    ...(flags.siret ? { siret: flags.siret } : {}),
    ...(flags.privileges !== undefined ? { privileges: parseList(flags.privileges) } : {}),
    ...(flags.singleUse ? { single_use: true } : {}),
    ...(flags.tokenLifetime !== undefined ? { token_lifetime: flags.tokenLifetime } : {}),
  }
}

/** Creates a client over the admin API of the sandbox at `url`. */
export async function createClient(
  url: string,
  headers: Record<string, string>,
  flags: ClientFlags,
): Promise<CreatedClient> {
  const res = await fetch(`${url}/__sandbox/clients`, {
    method: 'POST',
    headers,
    body: JSON.stringify(clientBody(flags)),
  })
  const text = await res.text()
  if (res.status !== 201) {
    let detail = text
    try {
      detail = (JSON.parse(text) as { detail?: string }).detail ?? text
    } catch {
      // not a problem document
    }
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_OPTION,
      `creating the client: ${res.status} ${detail}`,
    )
  }
  return JSON.parse(text) as CreatedClient
}

/**
 * `sandbox-twin clients create [--client-id ID] [--privileges a,b] [--single-use] [--format env]`:
 * creates a client on a running sandbox and prints its credentials, as JSON or as shell variables
 * (`eval "$(sandbox-twin clients create --format env)"`).
 */
export function registerClientsCommand(program: Command): void {
  const clients = program
    .command('clients')
    .description('Manage the clients of a running sandbox (admin token needed).')
  const create = clients
    .command('create')
    .description('Create a client and print its credentials (the secret is shown only once).')
    .addOption(
      new Option('--url <url>', 'base URL of the running sandbox')
        .env('SANDBOX_URL')
        .default('http://127.0.0.1:8080'),
    )
    .addOption(new Option('--admin-token <token>', 'admin token').env('SANDBOX_ADMIN_TOKEN'))
    .option('--client-id <id>', 'the client id (default: generated)')
    .option('--label <text>', "the client's label")
    .option('--siret <siret>', "the client's SIRET")
    .option('--privileges <list>', 'privileges it may ask for, comma-separated')
    .option('--single-use', 'every token it gets is single-use')
    .addOption(
      new Option('--token-lifetime <s>', 'access token lifetime, seconds').argParser(
        intFlag('--token-lifetime', 10, 86_400),
      ),
    )
    .addOption(
      new Option('--format <format>', 'json, or env (shell variables to eval)')
        .choices(['json', 'env'])
        .default('json'),
    )
  create.action(
    async (flags: ClientFlags & { url: string; adminToken?: string; format: 'json' | 'env' }) => {
      if (!flags.adminToken)
        throw new SandboxConfigError(
          SANDBOX_ERRORS.BAD_OPTION,
          'creating a client needs the admin token: pass --admin-token (or SANDBOX_ADMIN_TOKEN)',
        )
      const url = flags.url.replace(/\/+$/, '')
      const made = await createClient(
        url,
        { authorization: `Bearer ${flags.adminToken}`, 'content-type': 'application/json' },
        flags,
      ).catch((err: unknown) => {
        if (err instanceof SandboxConfigError) throw err
        throw new SandboxConfigError(
          SANDBOX_ERRORS.BAD_OPTION,
          `cannot reach the sandbox at ${flags.url}; is it running? Pass --url or SANDBOX_URL.`,
        )
      })
      if (flags.format === 'env') {
        const quote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`
        process.stdout.write(
          [
            `export SANDBOX_URL=${quote(url)}`,
            `export SANDBOX_TOKEN_URL=${quote(`${url}/oauth/token`)}`,
            `export SANDBOX_CLIENT_ID=${quote(made.client_id)}`,
            `export SANDBOX_CLIENT_SECRET=${quote(made.client_secret)}`,
            '',
          ].join('\n'),
        )
      } else process.stdout.write(`${JSON.stringify(made, null, 2)}\n`)
    },
  )
}
