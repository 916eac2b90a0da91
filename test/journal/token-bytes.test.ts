import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { basic, startSandbox, type Harness } from '../clients/sandbox-harness.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** Sends one raw request and resolves every byte the server answered until it closed. */
function rawExchange(url: string, request: string): Promise<Buffer> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request))
    const chunks: Buffer[] = []
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', reject)
    socket.on('end', () => resolve(Buffer.concat(chunks)))
  })
}

describe('journal of tokens', () => {
  it('records the bytes of the token answer, status line and headers included', async () => {
    h = await startSandbox()
    const acme = await h.createClient('acme', {
      privileges: ['unites_legales_etablissements_insee'],
    })
    const form = 'grant_type=client_credentials'
    const answer = await rawExchange(
      h.url,
      [
        'POST /oauth/token HTTP/1.1',
        'Host: sandbox.test',
        `Authorization: ${basic(acme)}`,
        'Content-Type: application/x-www-form-urlencoded',
        `Content-Length: ${form.length}`,
        'Connection: close',
        '',
        form,
      ].join('\r\n'),
    )
    expect(answer.toString('latin1')).toMatch(/^HTTP\/1\.1 200 /)
    const res = await fetch(`${h.url}/__sandbox/journal?client=acme&kind=token`, {
      headers: h.admin,
    })
    const { entries } = (await res.json()) as { entries: Array<{ bytes: number }> }
    expect(entries).toHaveLength(1)
    expect(entries[0]!.bytes).toBe(answer.length)
  })
})
