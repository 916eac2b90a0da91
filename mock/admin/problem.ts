import type { Response } from 'express'
import { problem, type SandboxErrorCode } from '../errors.js'

/** Answers an admin request with an RFC 9457 problem document. */
export function sendProblem(
  res: Response,
  status: number,
  code: SandboxErrorCode,
  detail: string,
  extensions: Record<string, unknown> = {},
): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify(problem(status, code, detail, extensions)))
}
