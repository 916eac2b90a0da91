import { connect, type Socket } from 'node:net'
import { TRACE } from './harness.js'

/** A request written on a raw TCP socket, to see exactly what the server sends back (or not). */
export interface RawCall {
  socket: Socket
  /** Bytes received so far. */
  received(): Buffer
  /** Resolves when the socket is closed (by either side), with every byte received. */
  closed: Promise<Buffer>
}

/** Opens a socket to the sandbox and writes one GET with a bearer token and the traceability query. */
export function rawGet(
  baseUrl: string,
  path: string,
  authorization: string,
  headers: Record<string, string> = {},
): Promise<RawCall> {
  const { hostname, port } = new URL(baseUrl)
  const query = new URLSearchParams(TRACE).toString()
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      const extra = Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')
      const auth = `Authorization: ${authorization}\r\n`
      socket.write(`GET ${path}?${query} HTTP/1.1\r\nHost: ${hostname}\r\n${auth}${extra}\r\n`)
      resolve({ socket, received: () => Buffer.concat(chunks), closed })
    })
    const closed = new Promise<Buffer>((done) =>
      socket.once('close', () => done(Buffer.concat(chunks))),
    )
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', () => undefined) // a reset is an outcome, not a failure
    socket.once('error', reject)
  })
}

/** Splits what a raw socket received into the head (status line and headers) and the body bytes. */
export function splitResponse(bytes: Buffer): { head: string; body: Buffer } {
  const end = bytes.indexOf('\r\n\r\n')
  return end < 0
    ? { head: bytes.toString(), body: Buffer.alloc(0) }
    : { head: bytes.subarray(0, end).toString(), body: bytes.subarray(end + 4) }
}

/**
 * Waits, turn of the event loop by turn, until `cond` holds: for I/O to happen, never for time to
 * pass (it works under fake timers, which only fake setTimeout here). Fails after `turns` turns.
 */
export async function until(cond: () => boolean, what: string, turns = 200_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (cond()) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error(`still waiting for ${what}`)
}
