import type { Exchange } from '../http/exchange.js'

/** Holds banned connections open without a byte of answer, as production treats a banned IP. */
export interface ConnectionHolder {
  /**
   * Takes the exchange's socket over and writes nothing: not a status line, not a byte. The socket is
   * closed when the client gives up, after `holdFor`, or at once when `maxHeld` sockets are already
   * held. `forMs` holds it for less than `holdFor` (a certification pace). Returns `true` when the
   * socket is held, `false` when it was closed at once.
   */
  hold(ex: Exchange, reason: string, forMs?: number): boolean
  /** Sockets held right now. */
  readonly held: number
  /** Most sockets held at once since start-up (for the bench). */
  readonly peak: number
}

export interface HolderOptions {
  /** How long a socket is held, ms. */
  holdForMs: number
  /** Most sockets held at once. */
  maxHeld: number
}

/**
 * Creates the holder. Held sockets are a resource of this process (not sandbox state): the bound
 * keeps a banned client from exhausting file descriptors, whatever the store.
 */
export function createConnectionHolder(options: HolderOptions): ConnectionHolder {
  let held = 0
  let peak = 0
  return {
    get held() {
      return held
    },
    get peak() {
      return peak
    },
    hold(ex, reason, forMs) {
      const holdForMs = forMs === undefined ? options.holdForMs : Math.min(forMs, options.holdForMs)
      ex.detached = true
      ex.notes.held = reason
      const socket = ex.req.socket
      if (socket.destroyed) return false
      if (held >= options.maxHeld || holdForMs <= 0) {
        ex.notes.heldOverflow = held >= options.maxHeld
        socket.destroy()
        return false
      }
      held++
      peak = Math.max(peak, held)
      // A real timer: holding is about the client's sockets, not about the sandbox clock.
      const timer = setTimeout(() => socket.destroy(), holdForMs)
      timer.unref()
      socket.once('close', () => {
        clearTimeout(timer)
        held--
      })
      return true
    },
  }
}
