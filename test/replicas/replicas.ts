import request from 'supertest'
import { expect, vi } from 'vitest'
import { ADMIN, basicAuth, getToken, makeClient, TRACE, type MadeClient } from '../auth/helpers.js'
import { startCli, type RunningCli } from '../helpers/cli.js'
import { startRedisServer, type RedisServer } from '../store/redis-server.js'

export { ADMIN, TRACE }

/** The address a load balancer in front of the replicas would be reached at. */
export const PUBLIC_URL = 'http://sandbox.replicas.test'

/** One sandbox process of a run, with helpers bound to its URL. */
export interface Replica {
  readonly name: string
  readonly url: string
  readonly cli: RunningCli
  /** A request to the admin API with the admin token. */
  admin(method: 'get' | 'post' | 'put' | 'delete', path: string): request.Test
  /** A GET on the API with a bearer token and the traceability query. */
  api(path: string, token: string): request.Test
  /** A token for a client, issued by this replica (form fields such as `single_use` added). */
  token(client: MadeClient, form?: Record<string, string>): Promise<string>
  /** Resolves once `/__sandbox/health` answers 200 (Redis reachable). */
  ready(): Promise<void>
}

/** A real redis-server and sandbox processes on it, as a load balancer would see them. */
export interface ReplicaSet {
  readonly redis: RedisServer
  readonly replicas: Replica[]
  /** Creates a client through the first replica; every replica knows it at once. */
  client(body?: Record<string, unknown>): Promise<MadeClient & { basic: string }>
  /** Stops every sandbox process, then Redis; safe after a failed start. */
  stop(): Promise<void>
}

/**
 * Starts one `redis-server` on a free port (failing loudly when it is not installed) and `count`
 * sandbox processes of the built CLI on it, together, each on a free port, same admin token and seed.
 */
export async function startReplicas(
  options: { count?: number; persist?: boolean; args?: string[] } = {},
): Promise<ReplicaSet> {
  const redis = await startRedisServer({ persist: options.persist ?? false })
  const started: RunningCli[] = []
  // A test process that dies mid-run must not leave sandboxes reconnecting to a Redis that is gone.
  const killOnExit = (): void => started.forEach((cli) => cli.child.kill('SIGKILL'))
  process.once('exit', killOnExit)
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((cli) => cli.stop()))
    process.off('exit', killOnExit)
    await redis.dispose()
  }
  try {
    const args = [
      '--state',
      redis.url,
      '--admin-token',
      ADMIN,
      '--seed',
      '7',
      // Replicas behind one load balancer advertise its address, so each knows the others' tokens.
      '--public-url',
      PUBLIC_URL,
      ...(options.args ?? []),
    ]
    const names = Array.from({ length: options.count ?? 2 }, (_, i) => String.fromCharCode(65 + i))
    // Together, as replicas behind a load balancer start: they race for the first signing key.
    const results = await Promise.allSettled(names.map(() => startCli(args)))
    for (const r of results) if (r.status === 'fulfilled') started.push(r.value)
    const failed = results.find((r) => r.status === 'rejected')
    if (failed) throw failed.reason
    const replicas = started.map((cli, i) => replica(names[i]!, cli))
    return {
      redis,
      replicas,
      client: async (body = {}) => {
        const made = await makeClient(replicas[0]!.url, body)
        return { ...made, basic: basicAuth(made.clientId, made.clientSecret) }
      },
      stop,
    }
  } catch (err) {
    await stop()
    throw err
  }
}

function replica(name: string, cli: RunningCli): Replica {
  const url = cli.url
  return {
    name,
    url,
    cli,
    admin: (method, path) => request(url)[method](path).set('authorization', `Bearer ${ADMIN}`),
    api: (path, token) =>
      request(url).get(path).query(TRACE).set('authorization', `Bearer ${token}`),
    token: (client, form = {}) => getToken(url, client, form),
    ready: () =>
      vi.waitFor(
        async () => expect((await request(url).get('/__sandbox/health')).status).toBe(200),
        { timeout: 15_000, interval: 25 },
      ),
  }
}

/** Runs `calls` jobs, at most `width` at a time, and resolves their results in order. */
export async function inBatches<T>(
  calls: number,
  width: number,
  job: (i: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < calls; i += width) {
    const n = Math.min(width, calls - i)
    out.push(...(await Promise.all(Array.from({ length: n }, (_, j) => job(i + j)))))
  }
  return out
}
