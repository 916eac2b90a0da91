import type { IncomingMessage } from 'node:http'

/** Why a request's JSON body could not be read: its status (400 malformed, 413 too large) and cause. */
export interface BodyError {
  status: number
  reason: string
}

const errors = new WeakMap<IncomingMessage, BodyError>()

/**
 * Records that the body parser refused a request's body. The request still goes through the
 * pipeline, so that it is routed, authenticated and journaled like any other, and the validate
 * stage answers for the body in the contract's error shape.
 */
export function markBodyError(
  req: IncomingMessage,
  err: { status?: number; type?: string; message: string },
): void {
  const status = err.status === 413 ? 413 : 400
  errors.set(req, { status, reason: err.type ?? err.message })
}

/** The body fault recorded for a request, if any. */
export const bodyErrorOf = (req: IncomingMessage): BodyError | undefined => errors.get(req)
