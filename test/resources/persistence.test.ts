import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { getToken, makeClient } from '../auth/helpers.js'
import { api, declaration, DECLARATIONS, douaneSandbox } from './harness.js'

const dir = mkdtempSync(join(tmpdir(), 'sandbox-resources-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('resources in a persistent store', () => {
  it('keeps what was created, replaced and deleted across a restart', async () => {
    const state = join(dir, 'state.json')
    const first = await douaneSandbox({ state })
    const client = await makeClient(first.app, { privileges: ['declarations_edi'] })
    const call = api(first.app, await getToken(first.app, client))
    const kept = (await call.post(DECLARATIONS, declaration())).body
    const replaced = (
      await call.put(`${DECLARATIONS}/${kept.id_declaration}`, declaration({ periode: '2026-04' }))
    ).body
    const removed = (await call.post(DECLARATIONS, declaration())).body.id_declaration as string
    expect((await call.delete(`${DECLARATIONS}/${removed}`)).status).toBe(204)
    const replay = await call.post(DECLARATIONS, declaration()).set('idempotency-key', 'same')
    await first.close()

    const second = await douaneSandbox({ state })
    try {
      const again = api(second.app, await getToken(second.app, client))
      const read = await again.get(`${DECLARATIONS}/${kept.id_declaration}`)
      expect(read.status).toBe(200)
      expect(read.body).toEqual(replaced)
      expect((await again.get(`${DECLARATIONS}/${removed}`)).status).toBe(404)
      const listed = await again.get(DECLARATIONS)
      expect(listed.body.pagination.total).toBe(2)
      const replayed = await again.post(DECLARATIONS, declaration()).set('idempotency-key', 'same')
      expect(replayed.text).toBe(replay.text)
      expect((await again.get(DECLARATIONS)).body.pagination.total).toBe(2)
      // A new resource after the restart takes a new identifier: the sequence was kept too.
      const fresh = (await again.post(DECLARATIONS, declaration())).body.id_declaration as string
      expect([kept.id_declaration, removed, replay.body.id_declaration]).not.toContain(fresh)
      expect((await request(second.app).get(DECLARATIONS)).status).toBe(401)
    } finally {
      await second.close()
    }
  })
})
