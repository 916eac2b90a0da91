import { basic } from './sandbox-harness.js'

/** What a reference client is given. */
export interface ClientSetup {
  baseUrl: string
  clientId: string
  clientSecret: string
  /** Privileges to ask for at token time (least privilege). */
  scopes: string[]
  /**
   * The sandbox's delayFactor: the client shrinks its timeouts by it, as the sandbox shrinks its
   * delays, so that a 5 s timeout keeps its meaning in a fast CI run.
   */
  timeScale: number
}

/** What one logical call ended with. */
export interface CallResult {
  status?: number
  body?: unknown
  /** Attempts made (1 + retries). */
  attempts: number
}

const TIMEOUT_MS = { json: 5_000, document: 12_000 }
const MAX_RETRIES = 4
/** Consecutive calls left without any answer after which the client stops, suspecting a ban. */
const SILENCE_LIMIT = 3
/** How long it stays silent then: production bans last 12 hours. */
const BAN_PAUSE_MS = 12 * 3_600_000 + 60_000
const RENEW_BEFORE_MS = 60_000

/** Traceability parameters: the frame, the recipient administration's SIRET, the reason. */
export const TRACEABILITY = {
  context: 'Marchés publics',
  recipient: '13002526500013',
  object: 'Dossier de candidature 2025-127',
}

/**
 * The careful reference client: what production asks of a reuser. It reuses its access token until a
 * minute before expiry and re-authenticates when refused; sends context, recipient and object on
 * every call; sets timeouts (5 s JSON, 12 s documents, scaled); honours Retry-After and
 * `meta.retry_in`; backs off with growing waits and a bounded number of retries; and falls silent for
 * 12 hours after three calls in a row get no answer at all (a ban). It never sleeps: it "waits" by
 * moving its own sandbox clock forward (`POST /__sandbox/clock`), and keeps time on that clock.
 */
export class CarefulClient {
  private token: { value: string; expiresAt: number } | undefined
  private offset = 0
  private silent = 0

  constructor(private readonly setup: ClientSetup) {}

  /** The client's sandbox time, ms. */
  now(): number {
    return Date.now() + this.offset
  }

  /** Waits `ms` of sandbox time by moving the client's own clock. */
  async wait(ms: number): Promise<void> {
    if (ms <= 0) return
    const res = await fetch(`${this.setup.baseUrl}/__sandbox/clock`, {
      method: 'POST',
      headers: { authorization: basic(this.setup), 'content-type': 'application/json' },
      body: JSON.stringify({ advance: Math.ceil(ms) / 1000 }),
    })
    if (!res.ok) throw new Error(`advancing the clock: ${res.status} ${await res.text()}`)
    this.offset += Math.ceil(ms)
  }

  private async fetchToken(
    form: Record<string, string> = {},
  ): Promise<{ value: string; expiresAt: number }> {
    const res = await fetch(`${this.setup.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: basic(this.setup),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: this.setup.scopes.join(' '),
        ...form,
      }).toString(),
    })
    const body = (await res.json()) as { access_token?: string; expires_in?: number }
    if (!body.access_token) throw new Error(`token: ${res.status} ${JSON.stringify(body)}`)
    return { value: body.access_token, expiresAt: this.now() + (body.expires_in ?? 0) * 1000 }
  }

  private async currentToken(): Promise<string> {
    if (!this.token || this.token.expiresAt - this.now() < RENEW_BEFORE_MS)
      this.token = await this.fetchToken()
    return this.token.value
  }

  /** A one-off call with a single-use token (an experiment): the token is used once, then dropped. */
  async once(path: string): Promise<number> {
    const single = await this.fetchToken({ single_use: 'true' })
    const res = await this.send(path, single.value, 'json')
    if (res instanceof Error) return 0
    await res.arrayBuffer()
    return res.status
  }

  private async send(
    path: string,
    token: string,
    kind: 'json' | 'document',
  ): Promise<Response | Error> {
    const query = new URLSearchParams(TRACEABILITY).toString()
    const timeout = TIMEOUT_MS[kind] * this.setup.timeScale * 0.9
    return fetch(`${this.setup.baseUrl}${path}?${query}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(timeout),
    }).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))
  }

  /** GETs an operation's path, with every courtesy production asks for. */
  async get(path: string, kind: 'json' | 'document' = 'json'): Promise<CallResult> {
    let lastWait = 0
    const backoff = async (attempt: number, asked = 0): Promise<void> => {
      // Growing waits: at least 1 s, doubling, never shorter than the last one nor than asked.
      lastWait = Math.max(1000 * 2 ** attempt, asked, lastWait * 2)
      await this.wait(lastWait)
    }
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(path, await this.currentToken(), kind)
      const body = res instanceof Error ? undefined : await readJson(res)
      if (res instanceof Error || body === INCOMPLETE) {
        // No answer (timeout, reset) or half an answer: retry later, unless this looks like a ban.
        if (res instanceof Error && ++this.silent >= SILENCE_LIMIT) {
          this.silent = 0
          await this.wait(BAN_PAUSE_MS)
          lastWait = BAN_PAUSE_MS
        } else if (attempt < MAX_RETRIES) await backoff(attempt)
        if (attempt >= MAX_RETRIES) return { attempts: attempt + 1 }
        continue
      }
      this.silent = 0
      const retryAfter = Number(res.headers.get('retry-after') ?? 0) * 1000
      const retryIn = retryInOf(body) * 1000
      if (res.status === 401) {
        this.token = undefined // expired or revoked: a new token, never the same one again
        if (attempt < 1) continue
      } else if (res.status === 429 && attempt < MAX_RETRIES) {
        await this.wait(retryAfter || 60_000)
        continue
      } else if (res.status === 502 && retryIn > 0 && attempt < MAX_RETRIES) {
        await this.wait(retryIn)
        continue
      } else if ((res.status === 503 || res.status === 504) && attempt < MAX_RETRIES) {
        await backoff(attempt, retryAfter)
        continue
      }
      return { status: res.status, body, attempts: attempt + 1 }
    }
  }
}

/** Marks a body that did not arrive whole (fewer bytes than announced, or JSON cut short). */
export const INCOMPLETE = Symbol('incomplete')

async function readJson(res: Response): Promise<unknown> {
  try {
    const text = await res.text()
    return text ? (JSON.parse(text) as unknown) : undefined
  } catch {
    return INCOMPLETE
  }
}

function retryInOf(body: unknown): number {
  const value = (body as { errors?: Array<{ meta?: { retry_in?: unknown } }> } | undefined)
    ?.errors?.[0]?.meta?.retry_in
  return typeof value === 'number' ? value : 0
}
