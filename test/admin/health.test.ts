import { join } from 'node:path'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createSandbox } from '../../mock/create-sandbox.js'
import { tempFiles } from '../helpers/temp-files.js'

async function storeKind(state: string): Promise<unknown> {
  const sandbox = await createSandbox({ state, log: () => undefined })
  try {
    const res = await request(sandbox.app).get('/__sandbox/health')
    expect(res.status).toBe(200)
    return (res.body as { store: unknown }).store
  } finally {
    await sandbox.close()
  }
}

describe('health', () => {
  it('names the kind of state in use: the file store, or memory', async () => {
    expect(await storeKind(join(tempFiles({}), 'state.json'))).toBe('file')
    expect(await storeKind('memory')).toBe('memory')
  })
})
