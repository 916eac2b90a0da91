import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { API_ERRORS } from '../mock/api-errors.js'
import { SANDBOX_ERRORS, problem } from '../mock/errors.js'

describe('sandbox error codes', () => {
  const doc = readFileSync(resolve(import.meta.dirname, '../docs/errors.md'), 'utf8')

  it('documents every code in docs/errors.md', () => {
    const undocumented = Object.values(SANDBOX_ERRORS).filter(
      (code) => !doc.includes(`| \`${code}\` |`),
    )
    expect(undocumented).toEqual([])
  })

  it('lists each API error code once, five digits, and names every one in docs/errors.md', () => {
    const codes = Object.values(API_ERRORS)
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) expect(code).toMatch(/^\d{5}$/)
    expect(codes.filter((code) => !doc.includes(code))).toEqual([])
  })

  it('builds RFC 9457 problem documents that carry the code', () => {
    expect(problem(404, SANDBOX_ERRORS.NOT_FOUND, 'no client x')).toEqual({
      type: 'urn:sandbox-twin:error:not-found',
      title: 'not found',
      status: 404,
      detail: 'no client x',
      code: 'not-found',
    })
  })
})
