import { createHash, timingSafeEqual } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import { bearerChallenge } from '../auth/auth-headers.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { sendProblem } from './problem.js'

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/** True when the request carries the admin token (`Authorization: Bearer` or `X-Sandbox-Admin-Token`). */
export function hasAdminToken(req: Request, adminToken: string): boolean {
  const header = req.headers.authorization
  const given = header?.startsWith('Bearer ')
    ? header.slice(7).trim()
    : req.get('x-sandbox-admin-token')
  // Comparing digests keeps the comparison constant-time whatever the lengths.
  return typeof given === 'string' && timingSafeEqual(digest(given), digest(adminToken))
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
