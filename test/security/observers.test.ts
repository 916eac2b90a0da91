import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Exchange } from '../../mock/http/exchange.js'
import { createExchangeWatcher } from '../../mock/journal/exchange-watcher.js'
import { guardObserver } from '../../mock/observer-guard.js'
import { createAuthEvents } from '../../mock/auth/auth-events.js'

describe('an observer that throws', () => {
  let server: Server | undefined
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve))
    server = undefined
  })

  it('is caught, logged once with its stack, then counted; requests go on', async () => {
    const lines: string[] = []
    let t = 0
    const guard = guardObserver(
      'test observer',
      (l) => lines.push(l),
      () => t,
    )
    for (let i = 0; i < 100; i++)
      guard.run(() => {
        throw new RangeError('Invalid time value')
      })
    expect(guard.failures).toBe(100)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/test observer failed.*RangeError: Invalid time value/s)
    t += 61_000
    guard.run(() => {
      throw new Error('again')
    })
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(/failed 100 more time\(s\) \(101 in all\)/)
  })

  it('in the journal watcher (a diagnostics channel subscriber) never ends the process', async () => {
    const lines: string[] = []
    const watcher = createExchangeWatcher({
      now: Date.now,
      nextId: () => 'id',
      push: () => {
        throw new RangeError('Invalid time value')
      },
      log: (l) => lines.push(l),
    })
    server = createServer((req, res) => {
      const ex = {
        req,
        res,
        receivedAt: Date.now(),
        ip: '127.0.0.1',
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        query: {},
        pathParams: {},
        clockOffset: 0,
        headers: {},
        notes: {},
      } satisfies Exchange
      watcher.watch(ex)
      res.end('ok')
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    for (let i = 0; i < 20; i++)
      expect(await (await fetch(`http://127.0.0.1:${port}/x`)).text()).toBe('ok')
    watcher.close()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/journal entry builder failed/)
  })

  it('as an auth event listener is logged once, and the other listeners still run', () => {
    const lines: string[] = []
    const events = createAuthEvents((l) => lines.push(l))
    let seen = 0
    events.on('*', () => {
      throw new Error('listener bug')
    })
    events.on('*', () => void seen++)
    for (let i = 0; i < 5; i++)
      events.emit({ type: 'client', clientId: 'a', action: 'created', by: 'admin', at: 0 })
    expect(seen).toBe(5)
    expect(lines).toHaveLength(1)
  })
})
