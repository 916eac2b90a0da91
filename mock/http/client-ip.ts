import type { IncomingMessage } from 'node:http'

/**
 * The address a request comes from. Behind one trusted proxy (`trustProxy`, e.g. the load balancer of
 * the Redis topology), it is the last address of `X-Forwarded-For`: the one the proxy itself appended,
 * which a client cannot forge. Otherwise it is the socket's peer.
 */
export function clientIpOf(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for']
    const list = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')
    const last = list[list.length - 1]?.trim()
    if (last) return last
  }
  return req.socket.remoteAddress ?? 'unknown'
}
