import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { SandboxConfigError } from '../../mock/errors.js'
import { DEFAULT_STEP_MS, parseProcessing, planTimeline } from '../../mock/resources/processing.js'
import { tempFiles } from '../helpers/temp-files.js'

// A contract the sandbox never saw: a `data` envelope, integer ids, offset/limit paging, PATCH, a
// status enum and no processing file.
const ORDERS = `
openapi: 3.0.3
info: { title: Orders, version: '1' }
paths:
  /orders:
    post:
      operationId: createOrder
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/NewOrder' } } }
      responses:
        '201': { description: created, content: { application/json: { schema: { $ref: '#/components/schemas/OrderEnvelope' } } } }
    get:
      operationId: listOrders
      parameters:
        - { name: offset, in: query, schema: { type: integer, minimum: 0 } }
        - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: 50, default: 10 } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: { type: array, items: { $ref: '#/components/schemas/Order' } }
                  total: { type: integer }
                  next: { type: string }
  /orders/{orderId}:
    get:
      operationId: getOrder
      parameters: [{ name: orderId, in: path, required: true, schema: { type: integer } }]
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/OrderEnvelope' } } } }
        '404': { description: unknown }
    patch:
      operationId: patchOrder
      parameters: [{ name: orderId, in: path, required: true, schema: { type: integer } }]
      requestBody:
        required: true
        content: { application/json: { schema: { type: object, properties: { note: { type: string, nullable: true } } } } }
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/OrderEnvelope' } } } }
components:
  schemas:
    NewOrder:
      type: object
      required: [item, quantity]
      properties:
        item: { type: string }
        quantity: { type: integer, minimum: 1 }
        note: { type: string }
    Order:
      type: object
      required: [id, item, quantity, status, created_at]
      properties:
        id: { type: integer }
        item: { type: string }
        quantity: { type: integer }
        note: { type: string }
        status: { type: string, enum: [received, preparing, shipped] }
        created_at: { type: string, format: date-time }
    OrderEnvelope:
      type: object
      properties:
        data: { $ref: '#/components/schemas/Order' }
        meta: { type: object, properties: { api_version: { type: string } } }
`

let sandbox: Sandbox
let clock = Date.parse('2026-06-01T08:00:00Z')
beforeAll(async () => {
  const dir = tempFiles({ 'orders.yaml': ORDERS })
  sandbox = await createSandbox({
    contract: `${dir}/orders.yaml`,
    auth: false,
    rateLimits: 'off',
    now: () => clock,
    log: () => undefined,
  })
})
afterAll(() => sandbox.close())

describe('stateful resources of any contract', () => {
  it('creates in the envelope, numbers ids, pages by offset, patches and walks the status enum', async () => {
    const app = sandbox.app
    const ids: number[] = []
    for (let n = 1; n <= 3; n++) {
      const res = await request(app)
        .post('/orders')
        .send({ item: `pen-${n}`, quantity: n })
      expect(res.status).toBe(201)
      expect(res.body.data).toMatchObject({ item: `pen-${n}`, quantity: n, status: 'received' })
      expect(res.body.data.created_at).toBe(new Date(clock).toISOString())
      ids.push(res.body.data.id as number)
    }
    expect(ids).toEqual([1, 2, 3])
    const page = await request(app).get('/orders?limit=2')
    expect(page.body.items.map((o: { id: number }) => o.id)).toEqual([1, 2])
    expect(page.body.total).toBe(3)
    expect(page.body.next).toBe('/orders?limit=2&offset=2')
    const last = await request(app).get(page.body.next as string)
    expect(last.body.items.map((o: { id: number }) => o.id)).toEqual([3])
    expect(last.body.next).toBeUndefined()

    const patched = await request(app).patch('/orders/2').send({ note: 'gift' })
    expect(patched.body.data).toMatchObject({ id: 2, item: 'pen-2', note: 'gift' })
    const unset = await request(app).patch('/orders/2').send({ note: null })
    expect(unset.body.data.note).toBeUndefined()
    expect((await request(app).get('/orders/9')).status).toBe(404)

    clock += DEFAULT_STEP_MS
    expect((await request(app).get('/orders/1')).body.data.status).toBe('preparing')
    clock += DEFAULT_STEP_MS
    expect((await request(app).get('/orders/1')).body.data.status).toBe('shipped')
    clock += 10 * DEFAULT_STEP_MS
    expect((await request(app).get('/orders/1')).body.data.status).toBe('shipped')
  })
})

describe('processing files', () => {
  const spec = parseProcessing(`
transitions:
  - { from: a, after: 1m, to: [{ status: b, probability: 0.5 }, { status: c, probability: 0.5 }] }
`)

  it('draws outcomes from the seed and the resource id, the same every time', () => {
    const outcomes = Array.from({ length: 200 }, (_, i) => planTimeline(spec, 'a', 0, 1, `r${i}`))
    const b = outcomes.filter((t) => t[1]!.status === 'b').length
    expect(b).toBeGreaterThan(70)
    expect(b).toBeLessThan(130)
    expect(planTimeline(spec, 'a', 0, 1, 'r7')).toEqual(outcomes[7])
    expect(outcomes[7]![1]!.at).toBe(60_000)
  })

  it('names the line and the fault of a bad file', () => {
    const bad = (text: string): string => {
      try {
        parseProcessing(text, 'p.yaml')
      } catch (err) {
        expect(err).toBeInstanceOf(SandboxConfigError)
        return (err as Error).message
      }
      throw new Error('accepted a bad file')
    }
    expect(bad('transitions:\n  - { from: a, after: soon, to: [{ status: b }] }')).toMatch(
      /p\.yaml, line 2: after must be a duration/,
    )
    expect(
      bad(
        'transitions:\n  - from: a\n    after: 1s\n    to: [{ status: b, probability: 0.5 }, { status: c, probability: 0.2 }]',
      ),
    ).toMatch(/add up to 0\.7/)
    expect(bad('transitons: []')).toMatch(/unknown key "transitons"/)
  })
})
