import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One call-back as a receiver got it. */
export interface Received {
  path: string
  authorization?: string
  body: Record<string, unknown>
}

/** How a receiver answers a call-back it got (the request is recorded either way). */
export type Behaviour = (got: Received, seen: readonly Received[]) => number | 'hang'

/** A real HTTP receiver on loopback and a free port. */
export interface Receiver {
  readonly url: string
  readonly received: Received[]
  behave(b: Behaviour): void
  close(): Promise<void>
}

/**
 * A careful receiver: checks the bearer token, acknowledges a redelivered event (same `id_evenement`)
 * without processing it twice, answers 204.
 */
export const careful =
  (token: string): Behaviour =>
  (got) =>
    got.authorization === `Bearer ${token}` ? 204 : 401

/** A naive receiver: never checks the token, and its unique index refuses an event seen before (500). */
export const naive: Behaviour = (got, seen) =>
  seen.some((s) => s !== got && s.body.id_evenement === got.body.id_evenement) ? 500 : 200

export async function startReceiver(behaviour: Behaviour): Promise<Receiver> {
  let behave = behaviour
  const received: Received[] = []
  const held: IncomingMessage[] = []
  const server: Server = createServer((req, res) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (text += c))
    req.on('end', () => {
      const got: Received = {
        path: req.url ?? '/',
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      }
      received.push(got)
      const answer = behave(got, received)
      if (answer === 'hang') {
        held.push(req)
        return
      }
      res.writeHead(answer).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    behave: (b) => (behave = b),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
