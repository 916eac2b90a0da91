import { randomBytes, scryptSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  checkSecretRule,
  drawDemoSecret,
  hashSecret,
  verifySecret,
} from '../../mock/auth/secret-hash.js'

describe('client secret hashes', () => {
  it('verify the secret just hashed and refuse any other', async () => {
    const stored = await hashSecret('Just-Made-Secret-1')
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/)
    expect(await verifySecret('Just-Made-Secret-1', stored)).toBe(true)
    expect(await verifySecret('Just-Made-Secret-2', stored)).toBe(false)
    expect(await verifySecret('', stored)).toBe(false)
  })

  it('verify a hash made by another process (read from the state) with its own parameters', async () => {
    const salt = randomBytes(16)
    const key = scryptSync('Older-Secret-9!', salt, 32, { N: 1024, r: 8, p: 1 })
    const stored = `scrypt$1024$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`
    expect(await verifySecret('Older-Secret-9!', stored)).toBe(true)
    expect(await verifySecret('Older-Secret-8!', stored)).toBe(false)
    expect(await verifySecret('Older-Secret-9!', `bcrypt$${stored}`)).toBe(false)
  })

  it("draw the demo client's secret, salted SHA-256 hash: it verifies that secret alone", async () => {
    const a = drawDemoSecret()
    const b = drawDemoSecret()
    expect(a.secret).not.toBe(b.secret)
    expect(a.secret).toMatch(/^[\w-]{43}$/) // 256 random bits
    expect(checkSecretRule(a.secret)).toBeUndefined()
    const stored = await a.hash
    expect(stored).toMatch(/^sha256\$[\w-]{22}\$[\w-]{43}$/)
    expect(await verifySecret(a.secret, stored)).toBe(true)
    expect(await verifySecret(b.secret, stored)).toBe(false)
    expect(await verifySecret(a.secret, await b.hash)).toBe(false)
    // Same secret, another salt: another hash; a hash cut short or tampered with verifies nothing.
    expect(await b.hash).not.toBe(stored)
    expect(await verifySecret(a.secret, stored.slice(0, -2))).toBe(false)
    expect(await verifySecret(a.secret, `${stored}$x`)).toBe(false)
    expect(await verifySecret(a.secret, stored.replace(/^sha256/, 'sha512'))).toBe(false)
  })
})
