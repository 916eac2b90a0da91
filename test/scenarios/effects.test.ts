import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import $RefParser from '@apidevtools/json-schema-ref-parser'
import request from 'supertest'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  JSON_PATH,
  startHarness,
  TRACE,
  type Harness,
  type TestClient,
} from '../traffic/harness.js'
import { expectStatus, firstError } from './scenario-harness.js'

const FILES: Record<string, string> = {
  'test-conflict.yaml':
    'description: conflict\neffect: { type: conflict, for: 30s }\nwhen: { calls: 1 }\n',
  'test-451.yaml': 'description: non-diffusible\neffect: { type: non-diffusible }\n',
  'test-status-404.yaml': 'description: any status\neffect: { type: status, status: 404 }\n',
  'test-status-502.yaml': 'description: any status\neffect: { type: status, status: 502 }\n',
  'test-only-v4.yaml':
    'description: only on v4\nmatch: { operations: [api_entreprise_v4_insee_unites_legales] }\neffect: { type: maintenance }\n',
}

/** The bundled contract, its `$ref`s resolved: where the expected bodies are read. */
const CONTRACT = resolve(import.meta.dirname, '../../fixtures/default-contract.yaml')
type Doc = {
  paths: Record<
    string,
    {
      get: {
        responses: Record<
          string,
          { content: Record<string, { examples?: Record<string, { value: unknown }> }> }
        >
      }
    }
  >
}

/** The first example the contract gives for the answer of `GET template` with `status`. */
function exampleOf(doc: Doc, template: string, status: number): unknown {
  const examples =
    doc.paths[template]?.get.responses[String(status)]?.content['application/json']?.examples
  const first = examples && Object.values(examples)[0]
  if (!first) throw new Error(`the contract has no example for ${status} on GET ${template}`)
  return first.value
}

describe('scenario effects', () => {
  let h: Harness
  let c: TestClient
  let doc: Doc
  const TEMPLATE = '/v3/insee/sirene/unites_legales/{siren}'
  const get = async (path: string, prefer: string): Promise<request.Response> =>
    request(h.url)
      .get(path)
      .query(TRACE)
      .set('authorization', `Bearer ${await c.token()}`)
      .set('prefer', prefer)

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'effects-'))
    for (const [name, text] of Object.entries(FILES)) await writeFile(join(dir, name), text)
    doc = (await $RefParser.dereference(parse(await readFile(CONTRACT, 'utf8')))) as Doc
    h = await startHarness({ scenarios: dir })
    c = await h.client()
  })
  afterAll(() => h.close())

  it('answers 409 while the same request is being processed, for that resource only', async () => {
    const first = await get(JSON_PATH, 'scenario=test-conflict')
    expectStatus(first, 409)
    expect(firstError(first).code).toBe('00015')
    expectStatus(await c.get(JSON_PATH), 409)
    expectStatus(await c.get('/v3/insee/sirene/unites_legales/552100554'), 200)
    h.advance(30_000)
    expectStatus(await c.get(JSON_PATH), 200)
  })

  it('answers 451 with the contract body for a non-diffusible entity', async () => {
    const res = await get(JSON_PATH, 'scenario=test-451')
    expectStatus(res, 451)
    expect(res.body).toEqual(exampleOf(doc, TEMPLATE, 451))
  })

  it('answers any status with the body of the contract example for that status', async () => {
    for (const status of [404, 502]) {
      const res = await get(JSON_PATH, `scenario=test-status-${status}`)
      expectStatus(res, status)
      expect(res.body, `the ${status} example`).toEqual(exampleOf(doc, TEMPLATE, status))
    }
    // Two different bodies: each status has its own example, not one error for all.
    expect(exampleOf(doc, TEMPLATE, 404)).not.toEqual(exampleOf(doc, TEMPLATE, 502))
  })

  it('applies only to the operations its match names', async () => {
    expectStatus(await get(JSON_PATH, 'scenario=test-only-v4'), 200)
    expectStatus(await get(JSON_PATH.replace('/v3/', '/v4/'), 'scenario=test-only-v4'), 503)
  })
})
