import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A real `redis-server` owned by one test file, on loopback and a free port. */
export interface RedisServer {
  readonly port: number
  /** `redis://127.0.0.1:<port>/0` */
  readonly url: string
  /** Stops it (SIGTERM: with `persist`, the append-only file is synced first). */
  stop(): Promise<void>
  /** Starts it again on the same port and data folder; a no-op while it runs. */
  start(): Promise<void>
  /** Stops it and removes its data folder. */
  dispose(): Promise<void>
}

const MISSING =
  'redis-server is not on PATH, and the Redis store tests need a real one (they never skip). ' +
  'Install it with `apt-get install -y redis-server`, or run the tests through .ci/run, which does.'

/** Fails loudly, with what to do, when `redis-server` cannot be run. */
export function requireRedisServer(): void {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' })
  if (probe.error || probe.status !== 0) throw new Error(MISSING)
}

/**
 * Spawns `redis-server` (not daemonized, so this process owns it and kills it by pid). `persist` turns
 * the append-only file on, synced at every write, to show that keys survive a Redis restart.
 */
export async function startRedisServer(options: { persist?: boolean } = {}): Promise<RedisServer> {
  requireRedisServer()
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-redis-'))
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '']
  args.push(
    ...(options.persist
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no']),
  )
  let child: ChildProcess | undefined
  const killOnExit = (): void => void child?.kill('SIGKILL')
  process.once('exit', killOnExit)

  const start = async (): Promise<void> => {
    if (child && child.exitCode === null) return
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    child = proc
    await new Promise<void>((resolve, reject) => {
      let output = ''
      const timer = setTimeout(
        () => fail(new Error(`redis-server did not start:\n${output}`)),
        10_000,
      )
      const fail = (err: Error): void => {
        clearTimeout(timer)
        reject(err)
      }
      proc.once('error', fail)
      proc.once('exit', (code) => fail(new Error(`redis-server exited (${code}):\n${output}`)))
      proc.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
  }
  const stop = async (): Promise<void> => {
    const proc = child
    child = undefined
    if (!proc || proc.exitCode !== null) return
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
    proc.kill('SIGTERM')
    await exited
  }

  await start()
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    stop,
    start,
    dispose: async () => {
      await stop()
      process.off('exit', killOnExit)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}
