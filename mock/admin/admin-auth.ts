import { createHash, timingSafeEqual } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import type { AuthEvents } from '../auth/auth-events.js'
import { bearerChallenge } from '../auth/auth-headers.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { clientIpOf } from '../http/client-ip.js'
import type { AdminFailures } from './admin-failures.js'
import { sendProblem } from './problem.js'

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/** The admin token a request presents (`Authorization: Bearer` or `X-Sandbox-Admin-Token`), if any. */
function presented(req: Request): string | undefined {
  const header = req.headers.authorization
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : req.get('x-sandbox-admin-token')
}

/** True when the request carries the admin token (`Authorization: Bearer` or `X-Sandbox-Admin-Token`). */
export function hasAdminToken(req: Request, adminToken: string): boolean {
  const given = presented(req)
  // Comparing digests keeps the comparison constant-time whatever the lengths.
  return typeof given === 'string' && timingSafeEqual(digest(given), digest(adminToken))
}

/**
 * The first middleware of the admin surface: a request presenting a wrong admin token counts against
 * its address and is journaled as an authentication failure (`bad-admin-token`); an address past the
 * limit is answered 429 with `Retry-After` (journaled `admin-locked`), even with the right token, until
 * its lock ends. Requests presenting no admin token (a client's own credentials, open pages) pass.
 */
export function guardAdminToken(
  adminToken: string,
  failures: AdminFailures,
  events: AuthEvents,
  now: () => number,
  trustProxy: boolean,
) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (presented(req) === undefined) return next()
    const ip = clientIpOf(req, trustProxy)
    const left = await failures.locked(ip)
    if (left > 0) {
      events.emit({ type: 'failure', ip, reason: 'admin-locked', endpoint: 'admin', at: now() })
      res.setHeader('retry-after', String(left))
      return sendProblem(
        res,
        429,
        SANDBOX_ERRORS.ADMIN_UNAUTHORIZED,
        `Too many wrong admin tokens from this address; retry in ${left} s.`,
      )
    }
    if (!hasAdminToken(req, adminToken)) {
      events.emit({ type: 'failure', ip, reason: 'bad-admin-token', endpoint: 'admin', at: now() })
      await failures.fail(ip)
    }
    next()
  }
}

/** Express middleware that lets only admin-token holders through. */
export function requireAdmin(adminToken: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (hasAdminToken(req, adminToken)) return next()
    res.setHeader('www-authenticate', bearerChallenge({ realm: 'sandbox-admin' }))
    sendProblem(
      res,
      401,
      SANDBOX_ERRORS.ADMIN_UNAUTHORIZED,
      'This admin endpoint needs the admin token: send "Authorization: Bearer <admin token>" (printed at start-up, or set with --admin-token / SANDBOX_ADMIN_TOKEN).',
    )
  }
}
