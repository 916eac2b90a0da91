import type { StoreScope } from '../store/store.js'

/** A new call-back URL takes effect within 4 hours at the Douane: the sandbox applies it after 4 h of the client's clock. */
export const URL_DELAY_MS = 4 * 3_600_000
/** A new call-back token takes effect within 15 minutes: the sandbox applies it after 15 min of the client's clock. */
export const TOKEN_DELAY_MS = 15 * 60_000

/** One value of an account field and the sandbox time from which it applies. */
interface Versioned {
  value: string
  /** Sandbox ms. */
  from: number
}

/**
 * A client's API account for one API, as the Douane's model has it: the URL its call-backs go to and
 * the token they carry. The first value of each applies at once; a change applies after its delay, the
 * previous value staying in force until then. The token is kept (it must be presented), never shown
 * nor journaled.
 */
export interface CallbackAccount {
  urls: Versioned[]
  tokens: Versioned[]
}

/** Red: no entitlement to the API. Yellow: entitled, URL or token missing. Green: ready. */
export type AccountStatus = 'red' | 'yellow' | 'green'

const NS = 'callback-account'

export const accountRepo = (scope: StoreScope) => ({
  get: async (api: string): Promise<CallbackAccount> =>
    (await scope.get<CallbackAccount>(NS, api)) ?? { urls: [], tokens: [] },
  put: (api: string, a: CallbackAccount) => scope.set(NS, api, a),
  clear: (api: string) => scope.delete(NS, api),
})

/** Registers a new value: at once when it is the first, else after `delayMs` of the client's clock. */
export function register(
  list: Versioned[],
  value: string,
  now: number,
  delayMs: number,
): Versioned[] {
  const inForce = valueAt(list, now)
  if (inForce === value) return list.filter((v) => v.from <= now).slice(-1)
  const from = list.length === 0 ? now : now + delayMs
  // What was in force stays until the new value applies; a pending value is replaced.
  return [...list.filter((v) => v.from <= now).slice(-1), { value, from }]
}

/** The value in force at sandbox time `now`. */
export function valueAt(list: readonly Versioned[], now: number): string | undefined {
  let found: string | undefined
  for (const v of list) if (v.from <= now) found = v.value
  return found
}

/** The value waiting to apply, and when. */
export function pending(list: readonly Versioned[], now: number): Versioned | undefined {
  return list.find((v) => v.from > now)
}

export function accountStatus(account: CallbackAccount, entitled: boolean): AccountStatus {
  if (!entitled) return 'red'
  return account.urls.length > 0 && account.tokens.length > 0 ? 'green' : 'yellow'
}

/** The account as the admin API shows it: the token never, only whether one is set. */
export function accountView(
  api: string,
  account: CallbackAccount,
  entitled: boolean,
  now: number,
): Record<string, unknown> {
  const iso = (ms: number): string => new Date(ms).toISOString()
  const nextUrl = pending(account.urls, now)
  const nextToken = pending(account.tokens, now)
  return {
    api,
    status: accountStatus(account, entitled),
    url: valueAt(account.urls, now) ?? null,
    ...(nextUrl ? { pending_url: nextUrl.value, pending_url_from: iso(nextUrl.from) } : {}),
    token_set: valueAt(account.tokens, now) !== undefined,
    ...(nextToken ? { pending_token_from: iso(nextToken.from) } : {}),
  }
}
