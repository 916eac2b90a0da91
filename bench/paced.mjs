// A fixed-rate load, paced like wrk2: request i is due at start + i / rate whatever the answers do,
// sent on the first free kept-alive connection, and its latency counts from when it was due (a slow
// answer delays the ones queued behind it, and that delay is measured, not omitted). Raw sockets and
// a minimal HTTP/1.1 reader keep the loader's own cost small beside the server's.
import { connect } from 'node:net'

const CRLF2 = Buffer.from('\r\n\r\n')

/** One kept-alive connection that sends a request and calls back when its whole answer is read. */
function connection(port, request, onAnswer, onError) {
  const socket = connect(port, '127.0.0.1')
  socket.setNoDelay(true)
  let buffer = Buffer.alloc(0)
  let need = -1
  let status = 0
  socket.on('data', (chunk) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk
    for (;;) {
      if (need < 0) {
        const end = buffer.indexOf(CRLF2)
        if (end === -1) return
        const head = buffer.subarray(0, end).toString('latin1')
        status = Number(head.slice(9, 12))
        const m = /\r\ncontent-length:\s*(\d+)/i.exec(head)
        if (!m) return onError(new Error(`answer without content-length: ${head.split('\r\n')[0]}`))
        need = end + 4 + Number(m[1])
      }
      if (buffer.length < need) return
      buffer = buffer.subarray(need)
      need = -1
      onAnswer(status)
    }
  })
  socket.on('error', onError)
  return { send: () => socket.write(request), close: () => socket.destroy() }
}

/**
 * Sends `rate` requests a second for `seconds` over up to `connections` connections; resolves with
 * the latency percentiles (ms, from when each request was due), the rate reached, and the faults.
 */
export function paced({ port, path, headers = {}, rate, seconds, connections = 32 }) {
  const request = Buffer.from(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('') +
      '\r\n',
  )
  return new Promise((done) => {
    const total = Math.round(rate * seconds)
    const latencies = new Float64Array(total)
    let sent = 0
    let answered = 0
    let non2xx = 0
    let errors = 0
    const queue = [] // due times of requests waiting for a free connection
    const free = []
    const start = performance.now()
    const pool = Array.from({ length: connections }, () => {
      const c = connection(
        port,
        request,
        (status) => {
          latencies[answered++] = performance.now() - c.due
          if (status < 200 || status > 299) non2xx++
          next(c)
        },
        () => {
          errors++
        },
      )
      return c
    })
    function next(c) {
      if (queue.length) {
        c.due = queue.shift()
        c.send()
      } else free.push(c)
      if (answered >= total || (errors && answered + errors >= sent)) finish()
    }
    for (const c of pool) free.push(c)
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000))
      for (; sent < due; sent++) {
        const at = start + (sent * 1000) / rate
        const c = free.pop()
        if (c) {
          c.due = at
          c.send()
        } else queue.push(at)
      }
    }, 1)
    let finished = false
    function finish() {
      if (finished) return
      finished = true
      clearInterval(timer)
      clearTimeout(deadline)
      for (const c of pool) c.close()
      const got = latencies.subarray(0, answered).sort()
      const at = (q) =>
        got.length ? got[Math.min(got.length - 1, Math.floor(q * got.length))] : NaN
      const elapsed = (performance.now() - start) / 1000
      done({
        rate: answered / elapsed,
        p50: at(0.5),
        p99: at(0.99),
        p999: at(0.999),
        max: got.length ? got[got.length - 1] : NaN,
        answered,
        non2xx,
        errors: errors + (total - answered),
      })
    }
    // Answers still missing a few seconds after the last one was due count as errors.
    const deadline = setTimeout(finish, (seconds + 5) * 1000)
  })
}
