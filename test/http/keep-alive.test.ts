import { Agent, get } from 'node:http'
import { describe, expect, it } from 'vitest'
import { createSandbox } from '../../mock/create-sandbox.js'
import { startCli } from '../helpers/cli.js'

/** The `Keep-Alive` header a request on a kept-alive connection to `url` is answered with. */
async function keepAliveOf(url: string): Promise<string | undefined> {
  const agent = new Agent({ keepAlive: true })
  try {
    return await new Promise((done, fail) => {
      const req = get(`${url}/__sandbox/health`, { agent }, (res) => {
        res.resume()
        res.on('end', () => done(res.headers['keep-alive'] as string | undefined))
      })
      req.on('error', fail)
    })
  } finally {
    agent.destroy()
  }
}

describe('idle keep-alive connections', () => {
  it('stay open longer than a load balancer idle timeout by default, and as long as told', async () => {
    const plain = await createSandbox({ state: 'memory', log: () => undefined })
    try {
      const { url, server } = await plain.listen(0)
      expect(await keepAliveOf(url)).toBe('timeout=65')
      expect(server.keepAliveTimeout).toBe(65_000)
      expect(server.headersTimeout).toBe(66_000)
    } finally {
      await plain.close()
    }
    const long = await createSandbox({
      state: 'memory',
      keepAliveTimeout: 620,
      log: () => undefined,
    })
    try {
      const { url, server } = await long.listen(0)
      expect(await keepAliveOf(url)).toBe('timeout=620')
      // The headers' timeout stays above, and a whole request may take at least as long.
      expect(server.headersTimeout).toBe(621_000)
      expect(server.requestTimeout).toBe(621_000)
    } finally {
      await long.close()
    }
  })

  it('follow --keep-alive-timeout', async () => {
    const cli = await startCli(['--state', 'memory', '--keep-alive-timeout', '90'])
    try {
      expect(await keepAliveOf(cli.url)).toBe('timeout=90')
    } finally {
      await cli.stop()
    }
  })
})
