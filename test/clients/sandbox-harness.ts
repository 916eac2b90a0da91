import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import type { SandboxOptions } from '../../mock/options.js'

/** A listening sandbox for tests over real sockets, with the admin token and the demo client at hand. */
export interface Harness {
  sandbox: Sandbox
  url: string
  /** Headers of an admin request. */
  admin: Record<string, string>
  /** Creates a client through the admin API and returns its credentials. */
  createClient(
    id: string,
    settings?: Record<string, unknown>,
  ): Promise<{ clientId: string; clientSecret: string }>
  /** A token for a client, by client_secret_basic. */
  token(
    client: { clientId: string; clientSecret: string },
    form?: Record<string, string>,
  ): Promise<string>
  close(): Promise<void>
}

/** HTTP Basic credentials of a client. */
export const basic = (c: { clientId: string; clientSecret: string }): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`).toString('base64')}`

/** Traceability parameters a careful caller sends. */
export const TRACE = 'context=Marchés%20publics&recipient=13002526500013&object=marché%20127'

/** Starts a sandbox on a free port (memory state, quiet log unless given). */
export async function startSandbox(options: SandboxOptions = {}): Promise<Harness> {
  const sandbox = await createSandbox({ log: () => undefined, ...options })
  const { url } = await sandbox.listen()
  const admin = {
    authorization: `Bearer ${sandbox.adminToken}`,
    'content-type': 'application/json',
  }
  return {
    sandbox,
    url,
    admin,
    async createClient(id, settings = {}) {
      const res = await fetch(`${url}/__sandbox/clients`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ client_id: id, ...settings }),
      })
      const body = (await res.json()) as { client_id?: string; client_secret?: string }
      if (res.status !== 201 || !body.client_secret)
        throw new Error(`creating client ${id}: ${res.status} ${JSON.stringify(body)}`)
      return { clientId: id, clientSecret: body.client_secret }
    },
    async token(client, form = {}) {
      const res = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: basic(client),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', ...form }).toString(),
      })
      const body = (await res.json()) as { access_token?: string }
      if (!body.access_token)
        throw new Error(`token for ${client.clientId}: ${res.status} ${JSON.stringify(body)}`)
      return body.access_token
    },
    close: () => sandbox.close(),
  }
}
