import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAjv, createSchemaCompiler } from '../../mock/contract/json-schema.js'
import { loadContract } from '../../mock/contract/load-contract.js'
import type { Contract, JsonSchema } from '../../mock/contract/types.js'
import { SandboxConfigError } from '../../mock/errors.js'
import { tempFiles } from '../helpers/temp-files.js'

const CORPUS = join(import.meta.dirname, 'corpus')
const load = (name: string): Promise<Contract> => loadContract(join(CORPUS, name))
const schemaOf = (c: Contract, id: string): JsonSchema =>
  c.operations.find((o) => o.id === id)!.responses['200']!.schema!

describe('loading the contract corpus', () => {
  it('keeps mutual recursion (A → B → A) as a cycle of objects, and ajv validates through it', async () => {
    const c = await load('mutual-recursion.yaml')
    const folder = schemaOf(c, 'getFolder') as {
      properties: { owner: { properties: { folders: { items: unknown } } } }
    }
    expect(folder.properties.owner.properties.folders.items).toBe(folder)
    const check = createSchemaCompiler(createAjv(c.openapi))(folder)
    const user = { login: 'ada', folders: [] }
    expect(check({ id: '1', name: 'a', owner: user, parent: null })).toBe(true)
    expect(check({ id: '1', name: 'a', owner: { login: 'ada', folders: [{ id: '2' }] } })).toBe(
      false,
    )
  })

  it('keeps self-reference and recursion through arrays and allOf as cycles', async () => {
    const self = await load('self-reference.yaml')
    const person = schemaOf(self, 'getPerson') as { properties: { manager: unknown } }
    expect(person.properties.manager).toBe(person)
    const trees = await load('recursion-arrays-allof.yaml')
    const node = schemaOf(trees, 'getTree') as { properties: { children: { items: unknown } } }
    expect(node.properties.children.items).toBe(node)
    const comments = schemaOf(trees, 'listComments') as { items: { allOf: unknown[] } }
    const own = comments.items.allOf[1] as { properties: { replies: { items: unknown } } }
    expect(own.properties.replies.items).toBe(comments.items)
  })

  it('never reads example or x- values as references', async () => {
    const c = await load('example-refs.yaml')
    const op = c.operations[0]!
    expect(op.parameters[0]!.examples).toEqual([
      { $ref: 'https://example.invalid/never-fetched.json' },
    ])
    expect(op.extensions['x-sample']).toEqual({ $ref: './does-not-exist.yaml' })
    expect(op.responses['200']!.examples).toEqual([
      { name: 'pointer', value: { $ref: '#/definitions/user' } },
      {
        name: 'inline',
        value: { $ref: 'https://example.invalid/schemas/user.json', type: 'object' },
      },
    ])
    const schema = op.responses['200']!.schema as { example: unknown; properties: object }
    expect(schema.example).toEqual({ $ref: '#/components/schemas/DoesNotExist' })
    // A property named `example` or `$ref` is a schema, resolved as any other.
    expect(Object.keys(schema.properties)).toEqual(['$ref', 'example'])
  })

  it('resolves references across files, a cycle spanning two files included', async () => {
    const c = await load('multi/root.yaml')
    const order = schemaOf(c, 'getOrder') as {
      properties: { customer: { properties: { orders: { items: unknown } } }; lines: object }
    }
    expect(order.properties.customer.properties.orders.items).toBe(order)
    expect(order.properties.lines).toMatchObject({ items: { required: ['sku', 'quantity'] } })
  })

  it('converts Swagger 2.0 on load', async () => {
    const c = await load('swagger2.yaml')
    expect(c.openapi).toMatch(/^3\.0\./)
    expect(c.operations.map((o) => o.id)).toEqual(['listPets', 'getPet'])
    const pet = schemaOf(c, 'getPet') as { properties: { parent: unknown; tag: object } }
    expect(pet.properties.parent).toBe(pet)
    expect(pet.properties.tag).toMatchObject({ type: 'string', nullable: true })
    const limit = c.operations[0]!.parameters.find((p) => p.name === 'limit')!
    expect(limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 50 })
  })

  it('reads 3.1 keywords and a $ref written beside other keywords', async () => {
    const c = await load('keywords-31.yaml')
    const samples = schemaOf(c, 'getSamples') as { properties: { note: object } }
    expect(samples.properties.note).toMatchObject({
      readOnly: true,
      allOf: [{ required: ['text'] }],
    })
  })

  it('names the file and JSON pointer of a reference to nothing', async () => {
    const err = (await load('broken-ref.yaml').catch((e: unknown) => e)) as SandboxConfigError
    expect(err).toBeInstanceOf(SandboxConfigError)
    expect(err.message).toBe(
      `contract ${join(CORPUS, 'broken-ref.yaml')}: at /paths/~1things/get/responses/200/content/application~1json/schema: $ref "#/components/schemas/Missing" points to nothing: ${join(CORPUS, 'broken-ref.yaml')} has no /components/schemas/Missing.`,
    )
  })

  it('names the file holding a faulty reference in another file, and a missing file', async () => {
    const dir = tempFiles({
      'root.yaml':
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: { $ref: 'part.yaml#/a' }\n",
      'part.yaml': "a:\n  get:\n    responses:\n      '200': { $ref: '#/nope' }\n",
    })
    const err = (await loadContract(join(dir, 'root.yaml')).catch((e: unknown) => e)) as Error
    expect(err.message).toMatch(
      /contract .*part\.yaml: at \/a\/get\/responses\/200: \$ref "#\/nope" points to nothing/,
    )
    const dir2 = tempFiles({
      'root.yaml':
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /b: { $ref: 'gone.yaml' }\n",
    })
    const gone = (await loadContract(join(dir2, 'root.yaml')).catch((e: unknown) => e)) as Error
    expect(gone.message).toMatch(
      /root\.yaml: at \/paths\/~1b: the document .*gone\.yaml cannot be read \(file not found\)/,
    )
  })

  it('says what failed and what to do when a remote $ref cannot be downloaded', async () => {
    const server = createServer((_req, res) => res.writeHead(404).end())
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    const { port } = server.address() as AddressInfo
    try {
      const dir = tempFiles({
        'remote.yaml': `openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /c: { $ref: 'http://127.0.0.1:${port}/paths.yaml#/c' }\n`,
      })
      const err = (await loadContract(join(dir, 'remote.yaml'), { allowRemoteRefs: true }).catch(
        (e: unknown) => e,
      )) as Error
      expect(err.message).toContain('remote.yaml: at /paths/~1c: the document http://127.0.0.1:')
      expect(err.message).toContain(
        'cannot be read (HTTP 404: save that document beside the contract and point the $ref at the file)',
      )
    } finally {
      server.close()
    }
  })

  it('downloads a remote $ref only when allowed, and a downloaded document reads no local file', async () => {
    const asked: string[] = []
    const documents: Record<string, string> = {
      '/paths.yaml': "c:\n  get:\n    responses:\n      '200': { description: ok }\n",
      '/sly.yaml': "c:\n  get:\n    responses:\n      '200': { $ref: 'file:///etc/hostname' }\n",
    }
    const server = createServer((req, res) => {
      asked.push(req.url ?? '')
      const body = documents[req.url ?? '']
      if (body === undefined) res.writeHead(404).end()
      else res.writeHead(200, { 'content-type': 'application/yaml' }).end(body)
    })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    const { port } = server.address() as AddressInfo
    try {
      const ref = `http://127.0.0.1:${port}/paths.yaml#/c`
      const file = join(
        tempFiles({
          'remote.yaml': `openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /c: { $ref: '${ref}' }\n`,
        }),
        'remote.yaml',
      )
      const refused = (await loadContract(file).catch((e: unknown) => e)) as Error
      expect(refused).toBeInstanceOf(SandboxConfigError)
      expect(refused.message).toBe(
        `contract ${file}: at /paths/~1c: $ref "${ref}": the document http://127.0.0.1:${port}/paths.yaml is remote, and the sandbox downloads nothing unless told to: save it beside the contract and point the $ref at the file, or start with --allow-remote-refs (option allowRemoteRefs: true).`,
      )
      expect(asked).toEqual([])
      const allowed = await loadContract(file, { allowRemoteRefs: true })
      expect(allowed.operations.map((o) => `${o.method} ${o.path}`)).toEqual(['get /c'])
      expect(asked).toEqual(['/paths.yaml'])
      const sly = join(
        tempFiles({
          'sly.yaml': `openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /c: { $ref: 'http://127.0.0.1:${port}/sly.yaml#/c' }\n`,
        }),
        'sly.yaml',
      )
      const local = (await loadContract(sly, { allowRemoteRefs: true }).catch(
        (e: unknown) => e,
      )) as Error
      expect(local.message).toContain(
        `$ref "file:///etc/hostname" in the downloaded document http://127.0.0.1:${port}/sly.yaml points to a local file`,
      )
    } finally {
      server.close()
    }
  })

  it('reads `properties: {$ref}` alone as a reference to a map of properties', async () => {
    const dir = tempFiles({
      'root.yaml':
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /lb:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: { type: object, properties: { $ref: 'attributes.yaml#/tag' } }\n",
      'attributes.yaml': 'tag:\n  tag: { type: string, example: web }\n',
    })
    const c = await loadContract(join(dir, 'root.yaml'))
    const schema = c.operations[0]!.responses['200']!.schema as { properties: object }
    expect(schema.properties).toEqual({ tag: { type: 'string', example: 'web' } })
  })

  it('reports a loop of references to references instead of hanging', async () => {
    const dir = tempFiles({
      'loop.yaml':
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: { $ref: '#/components/schemas/B' }\n    B: { $ref: '#/components/schemas/A' }\n",
    })
    const err = (await loadContract(join(dir, 'loop.yaml')).catch((e: unknown) => e)) as Error
    expect(err.message).toContain('is a loop of references to references')
  })
})
