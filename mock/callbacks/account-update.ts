import type { SandboxClock } from '../clock/clock.js'
import type { Store } from '../store/store.js'
import { accountRepo, register, TOKEN_DELAY_MS, URL_DELAY_MS } from './account.js'
import type { CallbackService } from './callback-service.js'

/** Why a registration was refused: the field at fault, and what to do. */
export interface AccountFault {
  field: 'url' | 'token' | 'none'
  detail: string
  /** The hosts call-backs may go to, when the URL's host is not one of them. */
  allowedHosts?: string[]
}

/**
 * Registers a client's call-back URL, token or both on its account for one API (the admin API and the
 * console both come here): the URL an http(s) address whose host the administrator allows, the token 8
 * to 512 printable characters. The first value applies at once, a change after 4 h (URL) or 15 min
 * (token) of the client's clock. Returns the fault instead, storing nothing.
 */
export async function updateCallbackAccount(
  deps: { store: Store; clock: SandboxClock; callbacks: CallbackService },
  clientId: string,
  input: { url?: unknown; token?: unknown },
): Promise<AccountFault | undefined> {
  const { url, token } = input
  if (url === undefined && token === undefined)
    return { field: 'none', detail: 'Give "url", "token" or both.' }
  if (url !== undefined) {
    if (typeof url !== 'string' || !/^https?:\/\/[^/]/.test(url) || url.length > 2048)
      return {
        field: 'url',
        detail:
          '"url" must be an http(s) URL (the common address of your call-back endpoints), at most 2048 characters.',
      }
    if (!(await deps.callbacks.hostAllowed(url))) {
      const allowedHosts = await deps.callbacks.allowedHosts()
      return {
        field: 'url',
        detail: `Call-backs may not go to this host. Allowed hosts: ${allowedHosts.join(', ')}. The sandbox's administrator opens others with PUT /__sandbox/callback-hosts.`,
        allowedHosts,
      }
    }
  }
  if (token !== undefined && (typeof token !== 'string' || !/^[\x21-\x7e]{8,512}$/.test(token)))
    return {
      field: 'token',
      detail:
        '"token" must be 8 to 512 printable characters without spaces (it is sent as Authorization: Bearer <token>).',
    }
  const api = deps.callbacks.api
  const repo = accountRepo(deps.store.scope(clientId))
  const now = await deps.clock.now(clientId)
  const account = await repo.get(api)
  if (typeof url === 'string') account.urls = register(account.urls, url, now, URL_DELAY_MS)
  if (typeof token === 'string')
    account.tokens = register(account.tokens, token, now, TOKEN_DELAY_MS)
  await repo.put(api, account)
  return undefined
}
