import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { createSandbox } from '../../mock/create-sandbox.js'

const sandbox = await createSandbox({
  state: 'memory',
  auth: false,
  rateLimits: 'off',
  log: () => undefined,
})
afterAll(() => sandbox.close())
const TRACE = '?context=test&recipient=13002526500013&object=documents'

/** GET that keeps the body as raw bytes. */
async function getBytes(path: string): Promise<{ status: number; type: string; bytes: Buffer }> {
  const res = await request(sandbox.app)
    .get(path)
    .buffer(true)
    .parse((stream, done) => {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => done(null, Buffer.concat(chunks)))
    })
  return {
    status: res.status,
    type: String(res.headers['content-type']),
    bytes: res.body as Buffer,
  }
}

describe('documents served by the sandbox', () => {
  it('serves the PDF that an attestation links to, the same bytes each time', async () => {
    const answer = await request(sandbox.app).get(
      `/v4/urssaf/unites_legales/418166096/attestation_vigilance${TRACE}`,
    )
    expect(answer.status).toBe(200)
    const link = new URL(answer.body.data.document_url as string)
    expect(link.pathname).toBe(
      '/__sandbox/documents/api_entreprise_v4_acoss_attestations_sociales/418166096.pdf',
    )
    const pdf = await getBytes(link.pathname)
    expect(pdf.status).toBe(200)
    expect(pdf.type).toBe('application/pdf')
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-')
    expect(pdf.bytes.subarray(-6).toString()).toContain('%%EOF')
    expect((await getBytes(link.pathname)).bytes.equals(pdf.bytes)).toBe(true)
  })

  it('answers 404 for an operation the contract does not have, or a name that is not a PDF', async () => {
    expect((await request(sandbox.app).get('/__sandbox/documents/nope/418166096.pdf')).status).toBe(
      404,
    )
    expect(
      (
        await request(sandbox.app).get(
          '/__sandbox/documents/api_entreprise_v4_acoss_attestations_sociales/..%2Fetc.pdf',
        )
      ).status,
    ).toBe(404)
    expect(
      (
        await request(sandbox.app).get(
          '/__sandbox/documents/api_entreprise_v4_acoss_attestations_sociales/418166096.txt',
        )
      ).status,
    ).toBe(404)
  })
})

describe('document links', () => {
  const path = `/v4/urssaf/unites_legales/418166096/attestation_vigilance${TRACE}`

  it('follow the host the client called when no public URL is set', async () => {
    const answer = await request(sandbox.app).get(path).set('host', 'twin.example.test:9123')
    expect(new URL(answer.body.data.document_url as string).origin).toBe(
      'http://twin.example.test:9123',
    )
  })

  it('use the public URL when one is set, whatever the host called', async () => {
    const fixed = await createSandbox({
      state: 'memory',
      auth: false,
      rateLimits: 'off',
      publicUrl: 'https://sandbox.example.org',
      log: () => undefined,
    })
    const answer = await request(fixed.app).get(path).set('host', 'elsewhere:1')
    expect(new URL(answer.body.data.document_url as string).origin).toBe(
      'https://sandbox.example.org',
    )
    await fixed.close()
  })
})
