import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import { fingerprint } from '../auth/secret-hash.js'
import type { SandboxContext } from '../context.js'

/** A signed-in person: a reuser (one sandbox client) or the operator. */
export interface ConsoleSession {
  role: 'client' | 'admin'
  clientId?: string
  /** The form token every POST of this session must carry. */
  csrf: string
  /** Real ms. */
  createdAt: number
  lastSeen: number
  /** The access token minted in the console for tries (short-lived; never shown again). */
  token?: { value: string; jti: string; expiresAt: number }
}

export const SESSION_COOKIE = 'sandbox_console'
/** Before sign-in: a random value both in a cookie and in the form (double submit). */
export const GUEST_COOKIE = 'sandbox_console_form'
const NS = 'console-sessions'

/** What the console's handlers find on `res.locals`. */
export interface ConsoleLocals {
  session?: ConsoleSession
  /** Hash of the session id: the store key. */
  sessionKey?: string
  /** The form token to put in every form of the page. */
  csrf: string
  expired?: boolean
}

export const localsOf = (res: Response): ConsoleLocals => res.locals as unknown as ConsoleLocals

function readCookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    const name = part.slice(0, eq).trim()
    if (!(name in out)) out[name] = decodeURIComponent(part.slice(eq + 1).trim())
  }
  return out
}

const sameValue = (a: string, b: string): boolean => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Cookie attributes: never readable by scripts, never sent by another site, scoped to the console. */
function cookie(name: string, value: string, secure: boolean, maxAge?: number): string {
  return [
    `${name}=${value}`,
    'Path=/console',
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
    ...(maxAge !== undefined ? [`Max-Age=${maxAge}`] : []),
  ].join('; ')
}

/** Sessions in the store (so every replica knows them), keyed by a hash of the cookie's value. */
export function createSessions(ctx: SandboxContext) {
  const idleMs = ctx.options.console.idleTimeout * 1000
  const scope = ctx.store.global
  const secure = (req: Request): boolean =>
    req.secure || ctx.options.publicUrl.startsWith('https://')

  const appendCookie = (res: Response, value: string): void => {
    const prev = res.getHeader('set-cookie')
    const list = Array.isArray(prev) ? prev : prev ? [String(prev)] : []
    res.setHeader('set-cookie', [...list, value])
  }

  /** Loads the session (ending it when idle too long) and the form token; refreshes `lastSeen`. */
  const load = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const cookies = readCookies(req)
    const locals = localsOf(res)
    const sid = cookies[SESSION_COOKIE]
    if (sid && /^[\w-]{20,100}$/.test(sid)) {
      const key = fingerprint(sid)
      const session = await scope.get<ConsoleSession>(NS, key)
      const now = ctx.options.now()
      if (session && now - session.lastSeen <= idleMs) {
        session.lastSeen = now
        await scope.set(NS, key, session, idleMs)
        locals.session = session
        locals.sessionKey = key
        locals.csrf = session.csrf
        return next()
      }
      if (session) await scope.delete(NS, key)
      locals.expired = true
      appendCookie(res, cookie(SESSION_COOKIE, '', secure(req), 0))
    }
    let guest = cookies[GUEST_COOKIE]
    if (!guest || !/^[\w-]{20,100}$/.test(guest)) {
      guest = randomBytes(24).toString('base64url')
      appendCookie(res, cookie(GUEST_COOKIE, guest, secure(req)))
    }
    locals.csrf = guest
    next()
  }

  /**
   * Refuses a state-changing request that another site could have forged: the browser's own
   * `Sec-Fetch-Site` and `Origin` say where it came from, and the form must carry the session's token.
   */
  const checkForm = (req: Request, res: Response): boolean => {
    const site = req.get('sec-fetch-site')
    if (site && site !== 'same-origin' && site !== 'none') return false
    const origin = req.get('origin')
    if (origin && origin !== 'null') {
      const host = req.get('host')
      let originHost: string | undefined
      try {
        originHost = new URL(origin).host
      } catch {
        return false
      }
      if (!host || originHost !== host) return false
    } else if (origin === 'null') return false
    const given = (req.body as Record<string, unknown> | undefined)?._csrf
    return typeof given === 'string' && sameValue(given, localsOf(res).csrf)
  }

  return {
    load,
    checkForm,
    /** Opens a new session (a new id: sign-in never reuses an id the browser had before). */
    open: async (req: Request, res: Response, who: Pick<ConsoleSession, 'role' | 'clientId'>) => {
      const prev = localsOf(res).sessionKey
      if (prev) await scope.delete(NS, prev)
      const sid = randomBytes(32).toString('base64url')
      const now = ctx.options.now()
      const session: ConsoleSession = {
        ...who,
        csrf: randomBytes(24).toString('base64url'),
        createdAt: now,
        lastSeen: now,
      }
      await scope.set(NS, fingerprint(sid), session, idleMs)
      appendCookie(res, cookie(SESSION_COOKIE, sid, secure(req)))
    },
    save: async (res: Response): Promise<void> => {
      const { session, sessionKey } = localsOf(res)
      if (session && sessionKey) await scope.set(NS, sessionKey, session, idleMs)
    },
    close: async (req: Request, res: Response): Promise<void> => {
      const { sessionKey } = localsOf(res)
      if (sessionKey) await scope.delete(NS, sessionKey)
      appendCookie(res, cookie(SESSION_COOKIE, '', secure(req), 0))
    },
    /** Ends every session of a client (it revoked its access, or was deleted). */
    closeClient: async (clientId: string): Promise<void> => {
      for (const [key, s] of await scope.entries<ConsoleSession>(NS))
        if (s.clientId === clientId) await scope.delete(NS, key)
    },
  }
}

export type Sessions = ReturnType<typeof createSessions>
