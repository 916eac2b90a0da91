import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../mock/create-sandbox.js'
import { firstError, getToken } from '../auth/helpers.js'
import { advance, api, declarant, declaration, DECLARATIONS, douaneSandbox } from './harness.js'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await douaneSandbox()
})
afterAll(() => sandbox.close())

describe('stateful resources', () => {
  it('creates, reads, lists, replaces and deletes a declaration, as sent', async () => {
    const { token } = await declarant(sandbox.app)
    const call = api(sandbox.app, token)
    const sent = declaration()
    const created = await call.post(DECLARATIONS, sent)
    expect(created.status).toBe(201)
    const id = created.body.id_declaration as string
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(created.headers.location).toBe(`${DECLARATIONS}/${id}`)
    expect(created.headers.etag).toMatch(/^"[\w-]+"$/)
    expect(created.body).toMatchObject({ ...sent, statut: 'deposee' })
    expect(created.body.motifs_rejet).toBeUndefined()
    expect(created.body.numero_enregistrement).toMatch(/^FR\d{4}[A-Z]{2}\d{8}$/)

    const read = await call.get(`${DECLARATIONS}/${id}`)
    expect(read.status).toBe(200)
    expect(read.body).toEqual(created.body)
    expect(read.headers.etag).toBe(created.headers.etag)

    const second = await call.post(DECLARATIONS, declaration({ reference_operateur: 'REF-002' }))
    const listed = await call.get(DECLARATIONS)
    expect(listed.status).toBe(200)
    expect(
      listed.body.declarations.map((d: { id_declaration: string }) => d.id_declaration),
    ).toEqual([id, second.body.id_declaration])
    expect(listed.body.pagination).toEqual({ page: 1, par_page: 20, total: 2 })
    const paged = await call.get(`${DECLARATIONS}?par_page=1&page=2`)
    expect(paged.body.declarations).toHaveLength(1)
    expect(paged.body.declarations[0].id_declaration).toBe(second.body.id_declaration)
    expect(paged.body.pagination).toEqual({ page: 2, par_page: 1, total: 2 })

    const changed = declaration({ periode: '2026-02', reference_operateur: 'REF-001-bis' })
    const stale = await call.put(`${DECLARATIONS}/${id}`, changed).set('if-match', '"old"')
    expect(stale.status).toBe(412)
    expect(firstError(stale.body).code).toBe('EDI-412')
    const replaced = await call
      .put(`${DECLARATIONS}/${id}`, changed)
      .set('if-match', created.headers.etag as string)
    expect(replaced.status).toBe(200)
    expect(replaced.body).toMatchObject({ ...changed, id_declaration: id, statut: 'deposee' })
    expect(replaced.body.date_depot).toBe(created.body.date_depot)
    expect(replaced.headers.etag).not.toBe(created.headers.etag)
    expect((await call.get(`${DECLARATIONS}/${id}`)).body.periode).toBe('2026-02')

    expect((await call.delete(`${DECLARATIONS}/${id}`)).status).toBe(204)
    const gone = await call.get(`${DECLARATIONS}/${id}`)
    expect(gone.status).toBe(404)
    expect(firstError(gone.body).code).toBe('EDI-404')
    expect((await call.get(DECLARATIONS)).body.pagination.total).toBe(1)
  })

  it('keeps each client to its own resources', async () => {
    const a = await declarant(sandbox.app)
    const b = await declarant(sandbox.app)
    const created = await api(sandbox.app, a.token).post(DECLARATIONS, declaration())
    const id = created.body.id_declaration as string
    expect((await api(sandbox.app, b.token).get(`${DECLARATIONS}/${id}`)).status).toBe(404)
    expect((await api(sandbox.app, b.token).get(DECLARATIONS)).body.declarations).toEqual([])
  })

  it('validates the body before storing anything', async () => {
    const { token } = await declarant(sandbox.app)
    const bad = await api(sandbox.app, token).post(
      DECLARATIONS,
      declaration({ periode: '2026-13' }),
    )
    expect(bad.status).toBe(422)
    expect((await api(sandbox.app, token).get(DECLARATIONS)).body.pagination.total).toBe(0)
  })

  it('replays the same answer for the same Idempotency-Key and body, and refuses another body', async () => {
    const { token } = await declarant(sandbox.app)
    const call = api(sandbox.app, token)
    const first = await call.post(DECLARATIONS, declaration()).set('idempotency-key', 'k-1')
    const again = await call.post(DECLARATIONS, declaration()).set('idempotency-key', 'k-1')
    expect(again.status).toBe(201)
    expect(again.text).toBe(first.text)
    expect(again.headers.location).toBe(first.headers.location)
    expect(again.headers['idempotent-replayed']).toBe('true')
    const other = await call
      .post(DECLARATIONS, declaration({ periode: '2026-03' }))
      .set('idempotency-key', 'k-1')
    expect(other.status).toBe(409)
    expect(firstError(other.body).code).toBe('EDI-409')
    expect(firstError(other.body).detail).toMatch(/clé d'idempotence/)
    expect((await call.get(DECLARATIONS)).body.pagination.total).toBe(1)
  })

  it('walks a declaration through its processing as the client clock advances', async () => {
    const { client, token } = await declarant(sandbox.app)
    const call = api(sandbox.app, token)
    const id = (await call.post(DECLARATIONS, declaration())).body.id_declaration as string
    const status = async (): Promise<string> =>
      (await call.get(`${DECLARATIONS}/${id}`)).body.statut
    expect(await status()).toBe('deposee')
    await advance(sandbox.app, client.clientId, '29s')
    expect(await status()).toBe('deposee')
    await advance(sandbox.app, client.clientId, '1s')
    expect(await status()).toBe('en_controle')
    const locked = await call.put(`${DECLARATIONS}/${id}`, declaration())
    expect(locked.status).toBe(409)
    await advance(sandbox.app, client.clientId, '2m')
    const done = (await call.get(`${DECLARATIONS}/${id}`)).body
    expect(['acceptee', 'rejetee']).toContain(done.statut)
    if (done.statut === 'rejetee') expect(done.motifs_rejet[0].code).toBe('R012')
    const cancel = await call.post(`${DECLARATIONS}/${id}/annulation`)
    expect(cancel.status).toBe(409)
  })

  it('cancels a declaration under control, which then stays cancelled', async () => {
    const { client, token } = await declarant(sandbox.app)
    const call = api(sandbox.app, token)
    const id = (await call.post(DECLARATIONS, declaration())).body.id_declaration as string
    await advance(sandbox.app, client.clientId, '45s')
    const cancelled = await call.post(`${DECLARATIONS}/${id}/annulation`)
    expect(cancelled.status).toBe(200)
    expect(cancelled.body.statut).toBe('annulee')
    await advance(sandbox.app, client.clientId, '1h')
    // Five-minute tokens: an hour later the client needs a new one.
    const later = api(sandbox.app, await getToken(sandbox.app, client))
    expect((await later.get(`${DECLARATIONS}/${id}`)).body.statut).toBe('annulee')
    expect((await later.get(`${DECLARATIONS}?statut=annulee`)).body.pagination.total).toBe(1)
    expect((await later.get(`${DECLARATIONS}?statut=deposee`)).body.pagination.total).toBe(0)
  })
})
