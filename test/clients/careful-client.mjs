#!/usr/bin/env node
// The careful reference client: what production asks of a reuser, written as any vendor would,
// with plain fetch. Runnable as a script against a sandbox (`sandbox-twin run -- node
// test/clients/careful-client.mjs`: it reads SANDBOX_URL, SANDBOX_TOKEN_URL, SANDBOX_CLIENT_ID,
// SANDBOX_CLIENT_SECRET, and SANDBOX_SCOPES), or imported by the tests.
//
// It reuses its access token until a minute before expiry and fetches a new one when refused; a
// token announced single-use (`single_use: true`) is used once. It sends context, recipient and
// object on every call; sets timeouts (5 s JSON, 12 s documents); honours Retry-After (a 503's for
// the whole API: it calls one thing at a time) and meta.retry_in; backs off with growing waits and
// at most 4 retries; treats a reset, a truncated body and a timeout as retryable; and when three calls
// in a row get no answer at all it suspects a ban, asks the sandbox until when
// (GET /__sandbox/bans, with its own credentials) and stays silent until then.

const TIMEOUT_MS = { json: 5_000, document: 12_000 }
const MAX_RETRIES = 4
/** Consecutive calls left without any answer after which the client suspects a ban. */
const SILENCE_LIMIT = 3
/** How long it stays silent when it cannot learn the ban's end: production bans last 12 hours. */
const BAN_PAUSE_MS = 12 * 3_600_000 + 60_000
const RENEW_BEFORE_MS = 60_000

/** Traceability parameters: the frame, the recipient administration's SIRET, the reason. */
export const TRACEABILITY = {
  context: 'Marchés publics',
  recipient: '13002526500013',
  object: 'Dossier de candidature 2025-127',
}

/** Marks a body that did not arrive whole (fewer bytes than announced, or JSON cut short). */
export const INCOMPLETE = Symbol('incomplete')

/** HTTP Basic credentials of a client. */
export const basic = (c) =>
  `Basic ${Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`).toString('base64')}`

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

export class CarefulClient {
  /**
   * @param {{ baseUrl: string, tokenUrl?: string, clientId: string, clientSecret: string,
   *   scopes: string[], wait?: 'sleep' | 'clock', timeoutScale?: number }} setup
   *   `wait: 'clock'` waits by moving the client's own sandbox clock (tests); `'sleep'` (default)
   *   sleeps. `timeoutScale` shortens its timeouts (tests; default 1).
   */
  constructor(setup) {
    this.setup = setup
    this.token = undefined
    this.offset = 0
    this.silent = 0
  }

  /** The client's sandbox time, ms. */
  now() {
    return Date.now() + this.offset
  }

  /** Waits `ms`: sleeps, or moves the client's own sandbox clock. */
  async wait(ms) {
    if (ms <= 0) return
    if (this.setup.wait !== 'clock') return sleep(ms)
    const res = await fetch(`${this.setup.baseUrl}/__sandbox/clock`, {
      method: 'POST',
      headers: { authorization: basic(this.setup), 'content-type': 'application/json' },
      body: JSON.stringify({ advance: Math.ceil(ms) / 1000 }),
    })
    if (!res.ok) throw new Error(`advancing the clock: ${res.status} ${await res.text()}`)
    this.offset += Math.ceil(ms)
  }

  async fetchToken(form = {}) {
    const res = await fetch(this.setup.tokenUrl ?? `${this.setup.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: basic(this.setup),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        ...(this.setup.scopes.length ? { scope: this.setup.scopes.join(' ') } : {}),
        ...form,
      }).toString(),
    })
    const body = await res.json()
    if (!body.access_token) throw new Error(`token: ${res.status} ${JSON.stringify(body)}`)
    return {
      value: body.access_token,
      expiresAt: this.now() + (body.expires_in ?? 0) * 1000,
      singleUse: body.single_use === true,
    }
  }

  async currentToken() {
    if (!this.token || this.token.expiresAt - this.now() < RENEW_BEFORE_MS)
      this.token = await this.fetchToken()
    const token = this.token
    if (token.singleUse) this.token = undefined // used once, then dropped
    return token.value
  }

  /** A one-off call with a single-use token asked for explicitly. */
  async once(path) {
    const single = await this.fetchToken({ single_use: 'true' })
    const res = await this.send(path, single.value, 'json')
    if (res instanceof Error) return 0
    await res.arrayBuffer().catch(() => undefined)
    return res.status
  }

  send(path, token, kind) {
    const query = new URLSearchParams(TRACEABILITY).toString()
    const timeout = TIMEOUT_MS[kind] * (this.setup.timeoutScale ?? 1) * 0.9
    return fetch(`${this.setup.baseUrl}${path}?${query}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(timeout),
    }).catch((err) => (err instanceof Error ? err : new Error(String(err))))
  }

  /** Until when the sandbox bans this client (sandbox ms), if it says so. */
  async banEnd() {
    try {
      const res = await fetch(`${this.setup.baseUrl}/__sandbox/bans`, {
        headers: { authorization: basic(this.setup) },
        signal: AbortSignal.timeout(5_000),
      })
      if (!res.ok) return undefined
      const body = await res.json()
      const list = Array.isArray(body) ? body : (body.bans ?? [])
      const ends = list.map((b) => Date.parse(b.until)).filter((t) => Number.isFinite(t))
      return ends.length ? Math.max(...ends) : undefined
    } catch {
      return undefined
    }
  }

  /** GETs an operation's path, with every courtesy production asks for. */
  async get(path, kind = 'json') {
    let lastWait = 0
    const backoff = async (attempt, asked = 0) => {
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
          const end = await this.banEnd()
          await this.wait(end !== undefined ? end - this.now() + 200 : BAN_PAUSE_MS)
          return { attempts: attempt + 1 }
        }
        if (attempt >= MAX_RETRIES) return { attempts: attempt + 1 }
        await backoff(attempt)
        continue
      }
      this.silent = 0
      const retryAfter = Number(res.headers.get('retry-after') ?? 0) * 1000
      const retryIn = retryInOf(body) * 1000
      if (res.status === 401) {
        this.token = undefined // expired, spent or revoked: a new token, never the same one again
        if (attempt < 1) continue
      } else if (res.status === 429 && attempt < MAX_RETRIES) {
        await this.wait(retryAfter || 60_000)
        continue
      } else if (res.status === 502 && retryIn > 0 && attempt < MAX_RETRIES) {
        await this.wait(retryIn)
        continue
      } else if (res.status >= 500 && attempt < MAX_RETRIES) {
        await backoff(attempt, retryAfter)
        continue
      }
      return { status: res.status, body, attempts: attempt + 1 }
    }
  }
}

async function readJson(res) {
  try {
    const text = await res.text()
    return text ? JSON.parse(text) : undefined
  } catch {
    return INCOMPLETE
  }
}

function retryInOf(body) {
  const value = body?.errors?.[0]?.meta?.retry_in
  return typeof value === 'number' ? value : 0
}

/** Fictitious SIRENs (valid Luhn) the scripts ask for, one resource each. */
export function sirens(count = 70) {
  const out = []
  for (let i = 0; out.length < count; i++) {
    const base = `41816${String(i).padStart(3, '0')}`
    out.push(`${base}${luhnDigit(base)}`)
  }
  return out
}

function luhnDigit(base) {
  for (let d = 0; d <= 9; d++) {
    const digits = `${base}${d}`
    let sum = 0
    for (let i = 0; i < digits.length; i++) {
      let n = Number(digits[digits.length - 1 - i])
      if (i % 2 === 1) n = n * 2 > 9 ? n * 2 - 9 : n * 2
      sum += n
    }
    if (sum % 10 === 0) return d
  }
  return 0
}

/** The sandbox's certification run is over (its last step's window closed), as the client sees it. */
export async function certificationOver(setup) {
  const res = await fetch(`${setup.baseUrl}/__sandbox/certification`, {
    headers: { authorization: basic(setup) },
  }).catch(() => undefined)
  if (!res || !res.ok) return res?.status === 404
  return (await res.json()).state === 'over'
}

/** The setup a script gets from `sandbox-twin run`'s environment. */
export function setupFromEnv(env = process.env) {
  const missing = ['SANDBOX_URL', 'SANDBOX_CLIENT_ID', 'SANDBOX_CLIENT_SECRET'].filter(
    (n) => !env[n],
  )
  if (missing.length) throw new Error(`set ${missing.join(', ')} (sandbox-twin run exports them)`)
  return {
    baseUrl: env.SANDBOX_URL.replace(/\/+$/, ''),
    tokenUrl: env.SANDBOX_TOKEN_URL,
    clientId: env.SANDBOX_CLIENT_ID,
    clientSecret: env.SANDBOX_CLIENT_SECRET,
    scopes: (env.SANDBOX_SCOPES ?? 'unites_legales_etablissements_insee')
      .split(/[\s,]+/)
      .filter(Boolean),
  }
}

/** Calls resources in a loop, one every `gapMs`, until the certification run is over (or `maxMs`). */
export async function loop(client, { gapMs = 300, maxMs = 120_000 } = {}) {
  const started = Date.now()
  const paths = sirens().map((s) => `/v4/insee/sirene/unites_legales/${s}`)
  let failures = 0
  for (let i = 0; Date.now() - started < maxMs; i++) {
    const result = await client.get(paths[i % paths.length])
    if (result.status === undefined || result.status >= 400) failures++
    if (i % 5 === 4 && (await certificationOver(client.setup))) break
    await client.wait(gapMs)
  }
  return failures
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const client = new CarefulClient(setupFromEnv())
  const started = Date.now()
  const failures = await loop(client)
  process.stdout.write(
    `careful client: done in ${((Date.now() - started) / 1000).toFixed(1)} s (${failures} calls ended without data)\n`,
  )
}
