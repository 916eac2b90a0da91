import { spawn } from 'node:child_process'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { firstError, INSEE_PATH } from '../auth/helpers.js'
import { CLI } from '../helpers/cli.js'
import { ADMIN, startReplicas, type Replica, type ReplicaSet } from './replicas.js'

// Two sandbox processes on a Redis that fsyncs every write to its append-only file, stopped and
// started again on the same port and folder in the middle of a run, as a Redis upgrade would be.
let set: ReplicaSet
let a: Replica
let b: Replica
beforeAll(async () => {
  set = await startReplicas({ persist: true })
  ;[a, b] = set.replicas as [Replica, Replica]
})
afterAll(() => set?.stop())

const kids = async (replica: Replica): Promise<string[]> =>
  ((await request(replica.url).get('/.well-known/jwks.json')).body.keys as Array<{ kid: string }>)
    .map((k) => k.kid)
    .sort()

describe('replicas across Redis restarts', () => {
  it('loses no client, no signing key, no spent token and no rate count in a restart mid-run', async () => {
    const client = await set.client({ label: 'survivor' })
    const token = await a.token(client)
    const spent = await b.token(client, { single_use: 'true' })
    expect((await b.api(INSEE_PATH, spent)).status).toBe(200)
    const before = await a.api(INSEE_PATH, token)
    expect(before.status).toBe(200)
    const keysBefore = await kids(a)
    const clientsBefore = (await a.admin('get', '/__sandbox/clients')).body.clients

    await set.redis.stop()
    // While Redis is away: 503, in the contract's shape, on either replica; nothing crashes.
    const down = await b.api(INSEE_PATH, token)
    expect(down.status).toBe(503)
    expect(firstError(down.body).code).toBe('00503')
    expect((await request(a.url).get('/__sandbox/health')).status).toBe(503)
    await set.redis.start()
    await Promise.all([a.ready(), b.ready()])

    expect((await b.admin('get', '/__sandbox/clients')).body.clients).toEqual(clientsBefore)
    expect(await kids(b)).toEqual(keysBefore)
    // The token signed before the restart still verifies; its window kept counting.
    const after = await b.api(INSEE_PATH, token)
    expect(after.status).toBe(200)
    expect(Number(after.headers['ratelimit-remaining'])).toBe(
      Number(before.headers['ratelimit-remaining']) - 1,
    )
    // The single-use token stays spent, and the client's secret still gets tokens.
    expect((await a.api(INSEE_PATH, spent)).status).toBe(401)
    expect((await a.api(INSEE_PATH, await a.token(client))).status).toBe(200)
    for (const replica of [a, b]) expect(replica.cli.child.exitCode).toBeNull()
  })

  it('starts a replica while Redis is down, which waits for it and then serves', async () => {
    await set.redis.stop()
    const args = ['serve', '--port', '0', '--state', set.redis.url, '--admin-token', ADMIN]
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    try {
      await vi.waitFor(
        () => expect(output).toMatch(/redis: start-up waits up to \d+ s for redis:/),
        {
          timeout: 20_000,
        },
      )
      expect(output).not.toMatch(/listening on/)
      await set.redis.start()
      await vi.waitFor(() => expect(output).toMatch(/listening on (http:\/\/\S+)/), {
        timeout: 20_000,
      })
      const url = /listening on (http:\/\/\S+)/.exec(output)![1]!
      const clients = await request(url)
        .get('/__sandbox/clients')
        .set('authorization', `Bearer ${ADMIN}`)
      expect(clients.body.clients.map((c: { label: string }) => c.label)).toContain('survivor')
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
    }
  })
})
