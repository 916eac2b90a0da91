#!/usr/bin/env node
// The naive reference client: what the verdict exists to catch. Runnable as a script against a
// sandbox (`sandbox-twin run -- node test/clients/naive-client.mjs`, reading SANDBOX_URL,
// SANDBOX_TOKEN_URL, SANDBOX_CLIENT_ID and SANDBOX_CLIENT_SECRET), or imported by the tests.
//
// It fetches a new token for every call, asking for every privilege it has; sets no timeout; ignores
// 429, Retry-After and retry_in and retries any error at once, three times; runs in a browser front
// end (it sends `Origin`); and forgets `object` on one call in five. It never moves its sandbox clock.
import { basic, certificationOver, setupFromEnv, sirens } from './careful-client.mjs'

export class NaiveClient {
  /** @param {{ baseUrl: string, tokenUrl?: string, clientId: string, clientSecret: string }} setup */
  constructor(setup) {
    this.setup = setup
    this.calls = 0
  }

  async token() {
    const res = await fetch(this.setup.tokenUrl ?? `${this.setup.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: basic(this.setup),
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://localhost:3000',
      },
      body: 'grant_type=client_credentials',
    })
    return (await res.json()).access_token
  }

  /** GETs a path; resolves with the last status (0: no answer). */
  async get(path) {
    let status = 0
    for (let attempt = 0; attempt < 4; attempt++) {
      this.calls++
      const params = new URLSearchParams({
        context: 'test',
        recipient: '13002526500013',
        ...(this.calls % 5 === 0 ? {} : { object: 'essai' }),
      })
      try {
        const res = await fetch(`${this.setup.baseUrl}${path}?${params.toString()}`, {
          headers: {
            authorization: `Bearer ${await this.token()}`,
            origin: 'http://localhost:3000',
          },
        })
        status = res.status
        await res.arrayBuffer().catch(() => undefined)
      } catch {
        status = 0
      }
      if (status >= 200 && status < 300) return status
    }
    return status
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const setup = setupFromEnv()
  const client = new NaiveClient(setup)
  const paths = sirens().map((s) => `/v4/insee/sirene/unites_legales/${s}`)
  const started = Date.now()
  for (let i = 0; Date.now() - started < 120_000; i++) {
    await client.get(paths[i % paths.length])
    if (i % 10 === 9 && (await certificationOver(setup))) break
  }
  process.stdout.write(`naive client: ${client.calls} calls\n`)
}
