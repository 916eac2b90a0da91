import type { Exchange } from './exchange.js'
import { API_ERRORS } from '../api-errors.js'

const JSON_TYPE = 'application/json; charset=utf-8'
/** Seconds a 503 asks the client to wait when the stage that made it said nothing. */
const DEFAULT_RETRY_AFTER = '60'

/** Send: writes the reply with the headers the stages gathered. */
export function sendReply(ex: Exchange): void {
  const { res } = ex
  if (res.headersSent || res.destroyed) return
  const reply = ex.reply ?? {
    status: 500,
    body: {
      errors: [
        { code: API_ERRORS.INTERNAL, title: 'Erreur interne', detail: 'Aucune réponse produite.' },
      ],
    },
  }
  let payload: string | Buffer | undefined = reply.raw
  if (payload === undefined && reply.body !== undefined) payload = JSON.stringify(reply.body)
  const headers: Record<string, string | number> = { ...ex.headers }
  // Every 503 says when to come back (RFC 9110 §10.2.3), whichever stage produced it.
  if (reply.status === 503 && headers['retry-after'] === undefined)
    headers['retry-after'] = DEFAULT_RETRY_AFTER
  if (payload !== undefined) {
    headers['content-type'] = reply.contentType ?? JSON_TYPE
    headers['content-length'] =
      typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length
  }
  res.writeHead(reply.status, headers)
  res.end(payload)
}
