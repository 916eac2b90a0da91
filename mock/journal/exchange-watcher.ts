import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { Exchange } from '../http/exchange.js'
import { exchangeEntry } from './exchange-entry.js'
import { isoTime } from './iso-time.js'
import type { JournalEntry, JournalOutcome } from './journal-entry.js'
import { guardObserver } from '../observer-guard.js'

/** What {@link createExchangeWatcher} records with. */
export interface WatchOptions {
  /** Real-time source, ms. */
  now: () => number
  /** The journal's next entry id (ids increase in recording order). */
  nextId: () => string
  /** Hands a finished entry to the journal's writer. */
  push: (entry: JournalEntry) => void
  /** A client's clock offset, ms, for an exchange held before any stage read it. */
  clockOffset?: ((clientId: string) => Promise<number>) | undefined
  /** Where a failure of the watcher itself is reported (once, then counted). Default: stderr. */
  log?: (line: string) => void
}

/** Watches exchanges until their responses end; records exactly one entry for each. */
export interface ExchangeWatcher {
  watch(ex: Exchange): void
  /** Stops listening for answers (exchanges still open are recorded when their connection closes). */
  close(): void
}

/** Node publishes every server response that has been fully written on this channel. */
const RESPONSE_FINISH = 'http.server.response.finish'

/**
 * A connection the watcher has seen: its exchanges not answered yet (one, but for pipelined requests:
 * a plain array, no hashing per request), and its bytes so far.
 */
interface Connection {
  open: Exchange[]
  /** `socket.bytesWritten` when the previous answer on this connection ended. */
  bytes: number
}

/**
 * The journal's pipeline hook. An exchange ends in one of three ways: answered (Node publishes the
 * response's finish on a diagnostics channel: one subscriber for all requests, no listener per
 * request), or its connection closes first, because the client went away or because the sandbox cut
 * it (ban cap, fault, shutdown): one 'close' listener per connection, whatever number of requests a
 * kept-alive connection carries. Either way the entry is built once, after the answer has left.
 */
export function createExchangeWatcher(options: WatchOptions): ExchangeWatcher {
  const connections = new WeakMap<Socket, Connection>()
  // A throw here runs inside Node's diagnostics channel or a socket's 'close' event: uncaught, it
  // would end the process. The exchange has been answered already; only its entry is at stake.
  const guard = guardObserver(
    'journal entry builder',
    options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  )

  const record = (ex: Exchange, outcome: JournalOutcome, connection: Connection): void =>
    void guard.run(() => recordEntry(ex, outcome, connection))

  const recordEntry = (ex: Exchange, outcome: JournalOutcome, connection: Connection): void => {
    const written = ex.req.socket.bytesWritten
    const bytes = Math.max(0, written - connection.bytes)
    connection.bytes = written
    const entry = exchangeEntry(ex, options.nextId(), options.now() - ex.receivedAt, outcome, bytes)
    // Held before authentication, the exchange never learnt its client's clock: read it now, so
    // that the entry sits at its place on that clock among the client's other calls. It takes a new
    // id when it is recorded, so that ids keep the recording order.
    const { clockOffset } = options
    if (!clockOffset || ex.clockOffset !== 0 || !entry.clientId || !entry.banned)
      return options.push(entry)
    void clockOffset(entry.clientId).then(
      (offset) =>
        guard.run(() =>
          options.push({
            ...entry,
            id: options.nextId(),
            sandboxAt: isoTime(ex.receivedAt + offset),
          }),
        ),
      () => guard.run(() => options.push({ ...entry, id: options.nextId() })),
    )
  }

  const onFinish = (message: unknown): void => void guard.run(() => finished(message))

  const finished = (message: unknown): void => {
    const { response, socket = response?.req?.socket } = message as {
      response?: ServerResponse
      socket?: Socket | null
    }
    const connection = socket && connections.get(socket)
    if (!connection) return // another server's connection
    // Searched and taken out without a closure or a spliced array: one exchange open, but for
    // pipelined requests.
    const { open } = connection
    let at = 0
    while (at < open.length && open[at]!.res !== response) at++
    if (at === open.length) return // an admin route's answer, or a journal that was closed
    const ex = open[at]!
    if (at === open.length - 1) open.pop()
    else open.splice(at, 1)
    record(ex, 'answered', connection)
  }

  const onConnectionClose = (socket: Socket, connection: Connection): void =>
    void guard.run(() => connectionClosed(socket, connection))

  const connectionClosed = (socket: Socket, connection: Connection): void => {
    // A client that goes away first half-closes (FIN: the readable side ends) or resets the socket;
    // a connection the sandbox closes itself (ban cap, fault, shutdown) shows neither.
    const outcome =
      socket.readableEnded || socket.errored != null ? 'client-closed' : 'server-closed'
    const open = connection.open.splice(0)
    for (const ex of open) record(ex, ex.res.writableFinished ? 'answered' : outcome, connection)
  }

  subscribe(RESPONSE_FINISH, onFinish)
  return {
    watch: (ex) =>
      void guard.run(() => {
        const socket = ex.req.socket
        let connection = connections.get(socket)
        if (!connection) {
          const created: Connection = { open: [], bytes: socket.bytesWritten }
          connections.set(socket, created)
          socket.once('close', () => onConnectionClose(socket, created))
          connection = created
        }
        connection.open.push(ex)
      }),
    close: () => {
      unsubscribe(RESPONSE_FINISH, onFinish)
    },
  }
}
