import { describe, expect, it } from 'vitest'
import { isoFormatter } from '../../mock/journal/iso-time.js'

describe('isoFormatter', () => {
  it('gives what Date#toISOString gives, in and out of time order', () => {
    const iso = isoFormatter()
    const times = [
      Date.UTC(2026, 10, 21, 22, 10, 1, 337),
      Date.UTC(2026, 10, 21, 22, 10, 1, 5),
      Date.UTC(2026, 10, 21, 22, 10, 2, 0),
      Date.UTC(2026, 10, 21, 22, 10, 1, 999),
      0,
      -1,
      -1001,
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ]
    for (const ms of times) expect(iso(ms)).toBe(new Date(ms).toISOString())
  })
})
