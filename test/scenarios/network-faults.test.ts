import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { JSON_PATH, startHarness, type Harness, type TestClient } from '../traffic/harness.js'
import { rawGet, splitResponse, until } from '../traffic/raw-socket.js'

const FAULTS: Record<string, string> = {
  'test-reset.yaml': 'description: reset\neffect: { type: reset }\n',
  'test-hang.yaml': 'description: hang\neffect: { type: hang }\n',
  'test-truncate.yaml': 'description: truncate\neffect: { type: truncate, keep: 0.25 }\n',
  'test-dribble.yaml':
    'description: dribble\neffect: { type: dribble, chunk_bytes: 16, interval: 500ms }\n',
  'test-latency.yaml': 'description: latency\neffect: { type: latency, delay: 2s }\n',
}

describe('network faults', () => {
  let h: Harness
  let c: TestClient
  let token: string
  const call = (scenario: string): ReturnType<typeof rawGet> =>
    rawGet(h.url, JSON_PATH, `Bearer ${token}`, { prefer: `scenario=${scenario}` })

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'faults-'))
    for (const [name, text] of Object.entries(FAULTS)) await writeFile(join(dir, name), text)
    h = await startHarness({ scenarios: dir })
    c = await h.client()
    token = await c.token()
  })
  afterEach(() => void vi.useRealTimers())
  afterAll(() => h.close())

  it('resets the connection before any byte', async () => {
    const res = await call('test-reset')
    expect((await res.closed).length).toBe(0)
  })

  it('hangs with no answer until ban.holdFor, then closes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const res = await call('test-hang')
    await until(() => h.sandbox.context.traffic.holder.held === 1, 'the hang')
    vi.advanceTimersByTime(60_000)
    expect((await res.closed).length).toBe(0)
  })

  it('sends a truncated body: the full Content-Length, a quarter of the bytes, then a close', async () => {
    const res = await call('test-truncate')
    const { head, body } = splitResponse(await res.closed)
    expect(head).toMatch(/^HTTP\/1\.1 200/)
    const length = Number(/content-length: (\d+)/i.exec(head)![1])
    expect(body.length).toBe(Math.floor(length * 0.25))
  })

  it('dribbles the body 16 bytes every 500 ms of real time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const res = await call('test-dribble')
    const body = (): Buffer => splitResponse(res.received()).body
    await until(() => body().length === 16, 'the first chunk')
    expect(splitResponse(res.received()).head).toMatch(
      /^HTTP\/1\.1 200[\s\S]*sandbox-scenario: test-dribble/i,
    )
    vi.advanceTimersByTime(500)
    await until(() => body().length === 32, 'the second chunk')
    const length = Number(/content-length: (\d+)/i.exec(splitResponse(res.received()).head)![1])
    for (let sent = 32; sent < length; sent += 16) {
      vi.advanceTimersByTime(500)
      await until(() => body().length === Math.min(length, sent + 16), `byte ${sent + 16}`)
    }
    expect(JSON.parse(body().toString())).toHaveProperty('data')
    res.socket.destroy()
  })

  it('adds latency before an ordinary answer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const before = vi.getTimerCount()
    const res = await call('test-latency')
    await until(() => vi.getTimerCount() > before, 'the latency timer')
    vi.advanceTimersByTime(1999)
    expect(vi.getTimerCount()).toBeGreaterThan(0)
    expect(res.received().length).toBe(0)
    vi.advanceTimersByTime(1)
    await until(() => res.received().includes('\r\n\r\n'), 'the answer')
    expect(splitResponse(res.received()).head).toMatch(/^HTTP\/1\.1 200/)
    res.socket.destroy()
  })

  it('answers 504 only after the 10-second provider wait', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    await h
      .admin('post', '/__sandbox/scenarios')
      .send({ client_id: c.id, scenario: 'provider-timeout-504' })
      .expect(201)
    const calls = []
    for (let i = 0; i < 2; i++) calls.push(await rawGet(h.url, JSON_PATH, `Bearer ${token}`))
    for (const r of calls)
      await until(() => r.received().includes('\r\n\r\n'), 'an ordinary answer')
    const before = vi.getTimerCount()
    const third = await rawGet(h.url, JSON_PATH, `Bearer ${token}`)
    await until(() => vi.getTimerCount() > before, 'the provider wait')
    vi.advanceTimersByTime(9_999)
    expect(third.received().length).toBe(0)
    vi.advanceTimersByTime(1)
    await until(() => third.received().includes('\r\n\r\n'), 'the 504')
    expect(splitResponse(third.received()).head).toMatch(/^HTTP\/1\.1 504/)
    for (const r of [...calls, third]) r.socket.destroy()
    await h.admin('delete', '/__sandbox/scenarios').query({ client_id: c.id }).expect(200)
  })
})
