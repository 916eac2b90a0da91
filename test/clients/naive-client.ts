import { basic } from './sandbox-harness.js'

/** What the naive client is given. */
export interface NaiveSetup {
  baseUrl: string
  clientId: string
  clientSecret: string
}

/**
 * The naive reference client: what the verdict exists to catch. It fetches a new token for every
 * call, asking for every privilege it has; sets no timeout; ignores 429, Retry-After and retry_in
 * and retries any error at once, three times; runs in a browser front end (it sends `Origin`); and
 * forgets `object` on one call in five. It never moves its sandbox clock.
 */
export class NaiveClient {
  private calls = 0

  constructor(private readonly setup: NaiveSetup) {}

  private async token(): Promise<string> {
    const res = await fetch(`${this.setup.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: basic(this.setup),
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://localhost:3000',
      },
      body: 'grant_type=client_credentials',
    })
    return ((await res.json()) as { access_token: string }).access_token
  }

  /** GETs a path; resolves with the last status (0: no answer). */
  async get(path: string): Promise<number> {
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
