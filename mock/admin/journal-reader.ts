import type { Request, Response } from 'express'
import type { SandboxContext } from '../context.js'
import { SANDBOX_ERRORS } from '../errors.js'
import { resolveCaller } from './caller.js'
import { hasAdminToken } from './admin-auth.js'
import { sendProblem } from './problem.js'

/** Who reads the journal or a report: the admin (any client, or all), or a client (itself only). */
export type JournalReader = { admin: true; clientId?: string } | { admin: false; clientId: string }

/** The client a journal or report request names: `client`, else `client_id`. */
export function clientParam(req: Request): string | undefined {
  const given = req.query.client ?? req.query.client_id
  return typeof given === 'string' && given !== '' ? given : undefined
}

/**
 * Resolves the reader of `/journal` and `/report`: the admin token reads any client's entries; a
 * client authenticates with its own credentials (Basic `client_id:client_secret`) and reads its own,
 * naming another client is a 403. Answers the problem itself and resolves `undefined` on refusal.
 */
export async function resolveJournalReader(
  ctx: SandboxContext,
  req: Request,
  res: Response,
): Promise<JournalReader | undefined> {
  const named = clientParam(req)
  if (hasAdminToken(req, ctx.options.adminToken))
    return { admin: true, ...(named !== undefined ? { clientId: named } : {}) }
  const caller = await resolveCaller(ctx, req, res, { client: true })
  if (!caller) return undefined
  if (named !== undefined && named !== caller.clientId) {
    sendProblem(
      res,
      403,
      SANDBOX_ERRORS.ADMIN_UNAUTHORIZED,
      `A client reads its own journal only: omit "client", or give your own id (${caller.clientId}).`,
    )
    return undefined
  }
  return { admin: false, clientId: caller.clientId! }
}

/** Answers 409 when the journal is off; true when it is on. */
export function journalOn(ctx: SandboxContext, res: Response): boolean {
  if (ctx.journal.enabled) return true
  sendProblem(
    res,
    409,
    SANDBOX_ERRORS.CONFLICT,
    'The journal is off (option journal.enabled: false): nothing is recorded. Start the sandbox with the journal on.',
  )
  return false
}
