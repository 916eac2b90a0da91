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
export function rawGet(baseUrl: string, path: string, authorization: string): Promise<RawCall> {
  const { hostname, port } = new URL(baseUrl)
  const query = new URLSearchParams(TRACE).toString()
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(
        `GET ${path}?${query} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: ${authorization}\r\n\r\n`,
      )
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
