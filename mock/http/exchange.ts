import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Operation } from '../contract/types.js'

/** The answer a stage decided on; `send` writes it after the scope filter. */
export interface Reply {
  status: number
  /** A JSON value, serialised at send time (after scope filtering). */
  body?: unknown
  /** Bytes or text sent as they are (a PDF, a pre-serialised JSON body). */
  raw?: string | Buffer
  /** Default `application/json; charset=utf-8`. */
  contentType?: string
  /** The production error code the body carries, for the journal. */
  code?: string
}

/** Who the request comes from, once `authenticate` has run. */
export interface Identity {
  clientId: string
  /** `jti` of the access token (never the token itself); absent for Basic authentication. */
  jti?: string
  /** Privileges the credential carries. */
  scopes: readonly string[]
  mode: 'bearer' | 'basic'
  /** Token expiry, sandbox-clock ms. */
  expiresAt?: number
}

/**
 * One request on its way through the pipeline. Stages read it, add to it, and may set `reply` (the
 * pipeline then skips to sending) or `detached` (a stage took the socket over: ban, network fault).
 */
export interface Exchange {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  /** Real time of arrival, ms. */
  readonly receivedAt: number
  readonly ip: string
  readonly method: string
  /** Path without the query string, percent-decoding left to the router. */
  readonly path: string
  readonly query: Record<string, string | string[] | undefined>
  operation?: Operation
  pathParams: Record<string, string>
  identity?: Identity
  /** Offset of the client's sandbox clock from real time, ms (0 until the client is known). */
  clockOffset: number
  /** Extra response headers (rate limits, notices, clock shift), added to whatever is sent. */
  headers: Record<string, string>
  /** Rate-limit group of the operation, once known. */
  rateGroup?: string
  /** Name of the scenario that shaped the answer, if any. */
  scenario?: string
  reply?: Reply
  detached?: boolean
  /** Free-form facts for the journal (fields delivered, fault injected...). */
  notes: Record<string, unknown>
}

/** Sandbox-clock time of the exchange, ms: real arrival time plus the client's offset. */
export const sandboxNow = (ex: Exchange): number => ex.receivedAt + ex.clockOffset

/** A pipeline stage: one file, one job. */
export type Stage = (ex: Exchange) => void | Promise<void>
