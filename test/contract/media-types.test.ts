import { join } from 'node:path'
import request from 'supertest'
import { parse as parseYaml } from 'yaml'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, describe, expect, it } from 'vitest'
import { createAjv, createSchemaCompiler } from '../../mock/contract/json-schema.js'
import { createSandbox } from '../../mock/create-sandbox.js'
import { negotiate, toCsv } from '../../mock/data/media-body.js'

const sandbox = await createSandbox({
  contract: join(import.meta.dirname, 'corpus', 'media-types.yaml'),
  state: 'memory',
  auth: false,
  rateLimits: 'off',
  log: () => undefined,
})
afterAll(() => sandbox.close())
const compile = createSchemaCompiler(createAjv(sandbox.context.contract.openapi))
const report = sandbox.context.contract.operations.find((o) => o.id === 'getReport')!
const reportSchema = report.responses['200']!.schema!
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = []
  res.on('data', (c: Buffer) => chunks.push(c))
  res.on('end', () => cb(null, Buffer.concat(chunks)))
}

describe('answers in the media type the client accepts', () => {
  it('JSON by default, valid against the schema', async () => {
    const res = await request(sandbox.app).get('/reports/r1')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(compile(reportSchema)(res.body)).toBe(true)
  })

  it('CSV rows of the same records, one header line, cells quoted and formulas neutralised', async () => {
    const json = (await request(sandbox.app).get('/reports/r1')).body as {
      lines: { sku: string; note?: string }[]
    }
    const res = await request(sandbox.app).get('/reports/r1').set('Accept', 'text/csv')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    const lines = res.text.trimEnd().split('\r\n')
    expect(lines[0]).toMatch(/^sku,quantity,amount/)
    expect(lines).toHaveLength(json.lines.length + 1)
    expect(lines[1]!.startsWith(`${json.lines[0]!.sku},`)).toBe(true)
    if (json.lines[0]!.note) expect(lines[1]).toContain(`"'=SUM(A1:A9), then ""quoted"""`)
  })

  it('a real PDF: header, text of the report, cross-reference table where startxref says', async () => {
    const res = await request(sandbox.app)
      .get('/reports/r2')
      .set('Accept', 'application/pdf')
      .buffer(true)
      .parse(binary)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    const body = res.body as Buffer
    expect(body.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4')
    const text = body.toString('latin1')
    expect(text).toContain('(Monthly report) Tj')
    expect(text).toContain('(id: r2) Tj')
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1])
    expect(text.slice(startxref, startxref + 4)).toBe('xref')
  })

  it('YAML and XML of a value valid against the schema', async () => {
    const yaml = await request(sandbox.app).get('/reports/r3').set('Accept', 'application/yaml')
    expect(yaml.headers['content-type']).toBe('application/yaml; charset=utf-8')
    expect(compile(reportSchema)(parseYaml(yaml.text))).toBe(true)
    const xml = await request(sandbox.app)
      .get('/reports/r3')
      .set('Accept', 'application/xml')
      .buffer(true)
      .parse((res, cb) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => cb(null, text))
      })
    expect(xml.headers['content-type']).toBe('application/xml; charset=utf-8')
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml.body as string) as {
      report: { '@_id': string; lines: { lines: unknown[] } }
    }
    // The root is named by `xml.name`, `id` is an attribute, `lines` a wrapped list.
    expect(typeof doc.report['@_id']).toBe('string')
    expect(doc.report.lines.lines.length).toBeGreaterThanOrEqual(2)
  })

  it('quality values and wildcards pick the type; 406 in the contract shape when none fits', async () => {
    const csv = await request(sandbox.app)
      .get('/reports/r1')
      .set('Accept', 'application/json;q=0.5, text/csv')
    expect(csv.headers['content-type']).toMatch(/^text\/csv/)
    const any = await request(sandbox.app)
      .get('/reports/r1')
      .set('Accept', 'text/*;q=0.9, */*;q=0.1')
    expect(any.headers['content-type']).toMatch(/^text\/csv/)
    const refused = await request(sandbox.app).get('/reports/r1').set('Accept', 'image/webp')
    expect(refused.status).toBe(406)
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(refused.body).toMatchObject({ status: 406, title: 'Not Acceptable' })
    expect(refused.body.detail).toContain('text/csv')
  })

  it("the media's own text example, +json types, plain text and images", async () => {
    const csv = await request(sandbox.app).get('/exports/latest')
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(csv.text).toBe('sku,quantity\r\nABC-0001,2\r\n')
    const user = await request(sandbox.app).get('/Users/u1').buffer(true)
    expect(user.headers['content-type']).toBe('application/scim+json; charset=utf-8')
    const body = JSON.parse(user.text) as { schemas: string[] }
    const userSchema = sandbox.context.contract.operations.find((o) => o.id === 'getUser')!
      .responses['200']!.schema!
    expect(compile(userSchema)(body)).toBe(true)
    const health = await request(sandbox.app).get('/health')
    expect(health.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(health.text).toBe('OK')
    const logo = await request(sandbox.app).get('/logo').buffer(true).parse(binary)
    expect(logo.headers['content-type']).toBe('image/png')
    expect((logo.body as Buffer).subarray(1, 4).toString('latin1')).toBe('PNG')
  })
})

describe('an operation that only redirects', () => {
  it('answers its 3XX with a Location the sandbox serves', async () => {
    const res = await request(sandbox.app).get('/files/f42/content')
    expect(res.status).toBe(302)
    expect(res.headers.location).toMatch(/\/__sandbox\/documents\/fileContent\/f42\.pdf$/)
    const doc = await request(sandbox.app)
      .get(new URL(res.headers.location as string).pathname)
      .buffer(true)
      .parse(binary)
    expect(doc.status).toBe(200)
    expect((doc.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-')
  })
})

describe('negotiation and CSV rules', () => {
  it('follows RFC 9110: most specific range, q=0 refuses, JSON first on a tie', () => {
    const offered = ['text/csv', 'application/json']
    expect(negotiate(undefined, offered)).toBe('application/json')
    expect(negotiate('*/*', offered)).toBe('application/json')
    expect(negotiate('text/csv', offered)).toBe('text/csv')
    expect(negotiate('*/*, application/json;q=0', offered)).toBe('text/csv')
    expect(negotiate('text/html', offered)).toBeNull()
    expect(negotiate('application/*', ['application/problem+json'])).toBe(
      'application/problem+json',
    )
  })

  it('writes records, lists of records and scalars as tables', () => {
    expect(
      toCsv([
        { a: 1, b: 'x,y' },
        { a: 2, c: null },
      ]),
    ).toBe('a,b,c\r\n1,"x,y",\r\n2,,\r\n')
    expect(toCsv({ total: 2, items: [{ a: 1 }, { a: 2 }] })).toBe('a\r\n1\r\n2\r\n')
    expect(toCsv(['-1', 3])).toBe("value\r\n'-1\r\n3\r\n")
  })
})
