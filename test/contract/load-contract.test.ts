import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { loadContract } from '../../mock/contract/load-contract.js'
import { BUILD_ID, loadedCache, type LoadedCache } from '../../mock/contract/parse-cache.js'
import type { Contract } from '../../mock/contract/types.js'
import { SandboxConfigError } from '../../mock/errors.js'
import { CACHE_DIR } from '../../mock/prepared-cache.js'
import { preparedFiles, preparedFileWith } from '../helpers/prepared-file.js'
import { realContractPath } from '../helpers/real-contract.js'
import { tempFiles } from '../helpers/temp-files.js'
import { MINI_CONTRACT } from './mini-contract.js'

async function configError(promise: Promise<unknown>): Promise<SandboxConfigError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(SandboxConfigError)
  return err as SandboxConfigError
}

describe('loadContract', () => {
  it('lists every operation of the real contract, with ids taken from x-operationId in the 200 response', async () => {
    const contract = await loadContract(realContractPath())
    expect(contract.operations).toHaveLength(52)
    const ids = contract.operations.map((o) => o.id)
    expect(new Set(ids).size).toBe(52)
    expect(ids).toContain('api_entreprise_v4_insee_unites_legales')
    const op = contract.operations.find((o) => o.id === 'api_entreprise_v4_insee_unites_legales')!
    expect(op.path).toBe('/v4/insee/sirene/unites_legales/{siren}')
    expect(op.secured).toBe(true)
    expect(
      op.parameters
        .filter((p) => p.required)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['context', 'object', 'recipient', 'siren'])
    expect(op.responses['422']!.examples.length).toBeGreaterThan(0)
  })

  it('resolves $refs, takes operationId, x-operationId, or derives one from method and path', async () => {
    const dir = tempFiles({ 'c.yaml': MINI_CONTRACT })
    const contract = await loadContract(join(dir, 'c.yaml'))
    const ids = contract.operations.map((o) => `${o.method} ${o.path} ${o.id}`)
    expect(ids).toContain('get /v3/unites_legales/{siren} mini_unites_legales')
    expect(ids).toContain('delete /v3/unites_legales/{siren} delete_unite')
    expect(ids).toContain(
      'get /v3/effectifs/{siren}/annees/{year} get_v3_effectifs_siren_annees_year',
    )
    const op = contract.operations[0]!
    expect(op.parameters.find((p) => p.name === 'recipient')!.schema).toEqual({
      type: 'string',
      pattern: '^\\d{14}$',
    })
  })

  it('loads an OpenAPI 3.1 JSON contract with a $ref into another file', async () => {
    const dir = tempFiles({
      'api.json': JSON.stringify({
        openapi: '3.1.0',
        info: { title: 'T', version: '2' },
        paths: {
          '/things/{id}': {
            get: {
              operationId: 'getThing',
              parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
              responses: {
                '200': {
                  description: 'ok',
                  content: { 'application/json': { schema: { $ref: 'schemas.json#/Thing' } } },
                },
              },
            },
          },
        },
      }),
      'schemas.json': JSON.stringify({
        Thing: { type: 'object', properties: { id: { type: ['string', 'null'] } } },
      }),
    })
    const contract = await loadContract(join(dir, 'api.json'))
    expect(contract.openapi).toBe('3.1.0')
    expect(contract.operations[0]!.responses['200']!.schema).toEqual({
      type: 'object',
      properties: { id: { type: ['string', 'null'] } },
    })
  })

  it('names the file, line and column of a YAML syntax error', async () => {
    const dir = tempFiles({ 'bad.yaml': 'openapi: 3.0.3\ninfo:\n  title: x\n paths: [\n' })
    const err = await configError(loadContract(join(dir, 'bad.yaml')))
    expect(err.message).toMatch(/bad\.yaml: line 4, column \d+/)
    expect(err.file).toBe(join(dir, 'bad.yaml'))
  })

  it('refuses a document of another version, saying where and what was found', async () => {
    const dir = tempFiles({ 's.yaml': 'swagger: "1.2"\npaths: {}\n', 'o.yaml': 'openapi: 4.0.0\n' })
    const err = await configError(loadContract(join(dir, 's.yaml')))
    expect(err.message).toContain('at /swagger: expected "2.0", found "1.2"')
    const other = await configError(loadContract(join(dir, 'o.yaml')))
    expect(other.message).toContain(
      'at /openapi: expected an OpenAPI 3.0.x or 3.1.x (or Swagger 2.0) document, found openapi 4.0.0',
    )
  })

  it('says a missing file is missing and what to pass instead', async () => {
    const err = await configError(loadContract('/nonexistent/contract.yaml'))
    expect(err.message).toContain(
      'contract /nonexistent/contract.yaml: file not found. Pass an existing OpenAPI file with --contract.',
    )
  })

  it('names an unresolvable $ref', async () => {
    const dir = tempFiles({
      'r.yaml':
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': { $ref: '#/components/responses/Nope' }\n",
    })
    const err = await configError(loadContract(join(dir, 'r.yaml')))
    expect(err.message).toBe(
      `contract ${join(dir, 'r.yaml')}: at /paths/~1a/get/responses/200: $ref "#/components/responses/Nope" points to nothing: ${join(dir, 'r.yaml')} has no /components.`,
    )
  })

  it('points at a malformed parameter with its JSON path', async () => {
    const dir = tempFiles({
      'p.yaml':
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{ name: x, in: body }]\n      responses: {'200': {description: ok}}\n",
    })
    const err = await configError(loadContract(join(dir, 'p.yaml')))
    expect(err.message).toContain(
      'at /paths/~1a/get/parameters/0: "in" must be path, query, header or cookie, not "body"',
    )
  })
})

describe('contract parsing details', () => {
  it('keeps unquoted dates as strings and honours YAML merge keys', async () => {
    const dir = tempFiles({
      'd.yaml':
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nx-base: &base {description: ok}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          <<: *base\n          content: {application/json: {example: {since: 2023-04-11}}}\n",
    })
    const contract = await loadContract(join(dir, 'd.yaml'))
    const response = contract.operations[0]!.responses['200']!
    expect(response.description).toBe('ok')
    expect(response.examples[0]!.value).toEqual({ since: '2023-04-11' })
  })

  it('reuses the cached parse of a large contract, and ignores a corrupt cache file', async () => {
    // Padding makes the file large enough to be cached; its content makes its key unique to this run.
    const run = `${Date.now()}-${Math.random()}`
    const padding = `x-padding: '${'p'.repeat(300 * 1024)}'\nx-run: '${run}'\n`
    const dir = tempFiles({ 'big.yaml': `${MINI_CONTRACT}\n${padding}` })
    const before = preparedFiles()
    const first = await loadContract(join(dir, 'big.yaml'))
    // Written in the background, among the files other tests write at the same time.
    const file = await preparedFileWith('contract', run, before)
    // A well-formed entry with another title: the next start takes the parse from the cache.
    const text = readFileSync(file, 'utf8')
    const cut = text.indexOf('\n')
    const parsed = JSON.parse(text.slice(cut + 1)) as { info: { title: string } }
    parsed.info.title = 'Read from the cache'
    const payload = JSON.stringify(parsed)
    const { key } = JSON.parse(text.slice(0, cut)) as { key: string }
    const sum = createHash('sha256').update(payload).digest('hex')
    writeFileSync(file, `${JSON.stringify({ key, sum })}\n${payload}`)
    const second = await loadContract(join(dir, 'big.yaml'))
    expect(second.title).toBe('Read from the cache')
    expect(second.operations.map((o) => o.id)).toEqual(first.operations.map((o) => o.id))
    // A corrupt entry is parsed again from the contract itself.
    writeFileSync(file, '{not json')
    const third = await loadContract(join(dir, 'big.yaml'))
    expect(third.title).toBe(first.title)
    expect(third.operations.map((o) => o.id)).toEqual(first.operations.map((o) => o.id))
  })

  it('keeps a large contract of one file whole for the next start of the same build, cycles and shared objects included', async () => {
    const run = `${Date.now()}-${Math.random()}`
    const codeId = `test-${run}`
    const dir = tempFiles({ 'big.yaml': `${RECURSIVE_CONTRACT}\n${padding(run)}` })
    const path = join(dir, 'big.yaml')
    const before = preparedFiles()
    const first = await loadContract(path, { codeId })
    await preparedFileWith('contract-loaded', run, before)
    const second = await loadContract(path, { codeId })
    expect(second).not.toBe(first)
    expect(second).toEqual(first)
    const node = (c: typeof first) =>
      c.operations.find((o) => o.id === 'tree')!.responses['200']!.schema as {
        properties: { children: { items: unknown } }
      }
    // A recursive schema stays a cycle of objects, and a component two operations name, one object.
    expect(node(second).properties.children.items).toBe(node(second))
    expect(second.operations.find((o) => o.id === 'other_tree')!.responses['200']!.schema).toBe(
      node(second),
    )
    for (const op of second.operations) expect(Object.isFrozen(op.privileges)).toBe(true)
  })

  it('reads back what was kept for the path and build, and nothing for another build', async () => {
    const run = `${Date.now()}-${Math.random()}`
    const codeId = `test-${run}`
    const dir = tempFiles({ 'big.yaml': `${RECURSIVE_CONTRACT}\n${padding(run)}` })
    const path = join(dir, 'big.yaml')
    const stats = statSync(path, { bigint: true })
    const bytes = readFileSync(path)
    const real = await loadContract(path)
    const kept = loadedCache<typeof real>(path, bytes.length, codeId)!
    kept.keep({ ...real, title: 'Read from the cache' }, stats, bytes)
    await vi.waitFor(
      async () =>
        expect((await kept.read(stats, async () => bytes))?.title).toBe('Read from the cache'),
      { timeout: 20_000, interval: 10 },
    )
    expect((await loadContract(path, { codeId })).title).toBe('Read from the cache')
    expect((await loadContract(path, { codeId: `${codeId}-other` })).title).toBe(real.title)
    // Running from sources there is no build id: nothing is kept nor read.
    expect(BUILD_ID).toBeUndefined()
    expect(loadedCache(path, bytes.length, undefined)).toBeUndefined()
    expect((await loadContract(path)).title).toBe(real.title)
  })

  it("trusts a kept contract on the file's identity once the file had settled, else on its bytes' hash", async () => {
    const run = `${Date.now()}-${Math.random()}`
    const dir = tempFiles({ 'big.yaml': `${RECURSIVE_CONTRACT}\n${padding(run)}` })
    const path = join(dir, 'big.yaml')
    const stats = statSync(path, { bigint: true })
    const bytes = readFileSync(path)
    const real = await loadContract(path)
    const entry = (build: string) =>
      loadedCache<Contract>(path, bytes.length, `test-${run}-${build}`)!
    const kept = async (c: LoadedCache<Contract>, value: Contract, keptAt: number) => {
      c.keep(value, stats, bytes, keptAt)
      await vi.waitFor(() => expect(existsSync(join(CACHE_DIR, `${c.key}.json`))).toBe(true), {
        timeout: 20_000,
        interval: 10,
      })
    }
    const unread = async (): Promise<Uint8Array> => {
      throw new Error('the file was read')
    }
    // Kept long after the file last changed: its identity vouches for it, the file is not read.
    const settled = entry('settled')
    await kept(settled, { ...real, title: 'Settled' }, Date.now() + 5_000)
    expect((await settled.read(stats, unread))?.title).toBe('Settled')
    // Kept right after a change (the same clock tick could hold another): the bytes decide.
    const fresh = entry('fresh')
    await kept(fresh, { ...real, title: 'Fresh' }, Date.now())
    expect(await fresh.read(stats, unread)).toBeUndefined()
    expect((await fresh.read(stats, async () => bytes))?.title).toBe('Fresh')
    expect(await fresh.read(stats, async () => Buffer.from('other bytes'))).toBeUndefined()
    // Rewritten with as many bytes and its modification time put back, to the millisecond: its
    // identity no longer matches to the nanosecond (nor does its change time), so the bytes decide.
    const changed = readFileSync(path, 'utf8').replace(
      `x-run: '${run}'`,
      `x-run: '${run.replace(/\d/g, '7')}'`,
    )
    expect(changed.length).toBe(bytes.length)
    writeFileSync(path, changed)
    utimesSync(path, Number(stats.atimeNs) / 1e9, Number(stats.mtimeNs) / 1e9)
    const after = statSync(path, { bigint: true })
    expect(after.mtimeMs).toBe(stats.mtimeMs)
    expect(after.size).toBe(stats.size)
    expect(await settled.read(after, async () => readFileSync(path))).toBeUndefined()
    expect((await loadContract(path, { codeId: `test-${run}-settled` })).title).toBe(real.title)
  })

  it('keeps one entry per contract path: what another build kept there is dropped', async () => {
    const run = `${Date.now()}-${Math.random()}`
    const dir = tempFiles({
      'big.yaml': `${RECURSIVE_CONTRACT}\n${padding(run)}`,
      'beside.yaml': `${RECURSIVE_CONTRACT}\n${padding(`${run}-beside`)}`,
    })
    const file = (key: string) => join(CACHE_DIR, `${key}.json`)
    const entry = (name: string, build: string) => {
      const path = join(dir, name)
      const bytes = readFileSync(path)
      const c = loadedCache<Contract>(path, bytes.length, `test-${run}-${build}`)!
      return {
        key: c.key,
        keep: (v: Contract) => c.keep(v, statSync(path, { bigint: true }), bytes),
      }
    }
    const contract = await loadContract(join(dir, 'big.yaml'))
    const [older, newer, beside] = [
      entry('big.yaml', '1'),
      entry('big.yaml', '2'),
      entry('beside.yaml', '1'),
    ]
    expect(newer.key).not.toBe(older.key)
    beside.keep(contract)
    older.keep(contract)
    const waitFor = { timeout: 20_000, interval: 10 }
    await vi.waitFor(() => {
      expect(existsSync(file(older.key))).toBe(true)
      expect(existsSync(file(beside.key))).toBe(true)
    }, waitFor)
    newer.keep(contract)
    await vi.waitFor(() => {
      expect(existsSync(file(newer.key))).toBe(true)
      expect(existsSync(file(older.key))).toBe(false)
    }, waitFor)
    expect(existsSync(file(beside.key))).toBe(true)
  })

  it('never keeps a contract whose $refs name other files: a change there shows at the next start', async () => {
    const run = `${Date.now()}-${Math.random()}`
    const codeId = `test-${run}`
    const contract = RECURSIVE_CONTRACT.replace(
      "          description: ok\n          content:\n            application/json:\n              schema: { $ref: '#/components/schemas/Node' }\n  /other",
      "          description: ok\n          content:\n            application/json:\n              schema: { $ref: './part.yaml#/Leaf' }\n  /other",
    )
    expect(contract).not.toBe(RECURSIVE_CONTRACT)
    const dir = tempFiles({
      'big.yaml': `${contract}\n${padding(run)}`,
      'part.yaml': 'Leaf: { type: string, maxLength: 3 }\n',
    })
    const path = join(dir, 'big.yaml')
    const schema = (c: Awaited<ReturnType<typeof loadContract>>) =>
      c.operations.find((o) => o.id === 'tree')!.responses['200']!.schema
    expect(schema(await loadContract(path, { codeId }))).toEqual({ type: 'string', maxLength: 3 })
    writeFileSync(join(dir, 'part.yaml'), 'Leaf: { type: string, maxLength: 9 }\n')
    expect(schema(await loadContract(path, { codeId }))).toEqual({ type: 'string', maxLength: 9 })
  })
})

/** Makes a contract large enough to be kept (256 KiB), unique to `run`. */
const padding = (run: string): string => `x-padding: '${'p'.repeat(300 * 1024)}'\nx-run: '${run}'\n`

/** A GET operation at `path` answering the recursive component schema. */
const treeOperation = (path: string, id: string): string => `  ${path}/{id}:
    get:
      operationId: ${id}
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Node' }
`

/** Two operations answering one recursive component schema. */
const RECURSIVE_CONTRACT = `openapi: 3.0.3
info: { title: Trees, version: '1' }
paths:
${treeOperation('/trees', 'tree')}${treeOperation('/other', 'other_tree')}components:
  schemas:
    Node:
      type: object
      properties:
        name: { type: string }
        children:
          type: array
          items: { $ref: '#/components/schemas/Node' }
`
