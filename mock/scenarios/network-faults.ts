import type { OutgoingHttpHeaders } from 'node:http'
import type { Exchange } from '../http/exchange.js'
import { wait } from './delay.js'

/** A reply as it would go on the wire: status, headers and bytes (what `sendReply` writes). */
interface Wire {
  status: number
  headers: OutgoingHttpHeaders
  payload: Buffer
}

function toWire(ex: Exchange): Wire {
  const reply = ex.reply ?? { status: 500 }
  const raw = reply.raw ?? (reply.body !== undefined ? JSON.stringify(reply.body) : '')
  const payload = typeof raw === 'string' ? Buffer.from(raw) : raw
  const headers: OutgoingHttpHeaders = { ...ex.headers, 'content-length': payload.length }
  if (payload.length)
    headers['content-type'] = reply.contentType ?? 'application/json; charset=utf-8'
  return { status: reply.status, headers, payload }
}

/** Connection reset: the socket is closed with a TCP RST before any byte of answer. */
export function resetConnection(ex: Exchange): void {
  ex.detached = true
  ex.notes.fault = 'reset'
  ex.req.socket.resetAndDestroy()
}

/**
 * A truncated body: the status line and headers announce the full `Content-Length`, then only the
 * first `keep` share of the bytes is sent and the connection is closed.
 */
export function truncateReply(ex: Exchange, keep: number): void {
  const wire = toWire(ex)
  const cut = Math.floor(wire.payload.length * keep)
  ex.detached = true
  ex.notes.fault = `truncated at ${cut} of ${wire.payload.length} bytes`
  ex.res.writeHead(wire.status, wire.headers)
  // end() on the socket, not the response: the HTTP layer must not complete the message.
  ex.res.write(wire.payload.subarray(0, cut), () => ex.req.socket.end())
}

/**
 * A slow body: headers at once, then `chunkBytes` bytes every `intervalMs` (real time, already
 * scaled). Stops early if the client goes away. Resolves when the body is sent.
 */
export async function dribbleReply(
  ex: Exchange,
  chunkBytes: number,
  intervalMs: number,
): Promise<void> {
  const wire = toWire(ex)
  ex.detached = true
  ex.notes.fault = `dribbled ${chunkBytes} bytes every ${Math.round(intervalMs)} ms`
  const { res } = ex
  res.writeHead(wire.status, wire.headers)
  res.flushHeaders()
  for (let at = 0; at < wire.payload.length; at += chunkBytes) {
    if (at > 0) await wait(intervalMs)
    if (res.destroyed) return
    res.write(wire.payload.subarray(at, at + chunkBytes))
  }
  res.end()
}
