import type { BodyError } from './exchange.js'

/**
 * What a refused JSON body becomes on the exchange: 413 when it was over the limit, else 400, with
 * the parser's reason. The request still goes through the pipeline, so that it is routed,
 * authenticated and journaled like any other, and the validate stage answers for the body in the
 * contract's error shape.
 */
export function bodyErrorFrom(err: { status?: number; type?: string; message: string }): BodyError {
  return { status: err.status === 413 ? 413 : 400, reason: err.type ?? err.message }
}
