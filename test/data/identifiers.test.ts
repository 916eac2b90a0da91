import { describe, expect, it } from 'vitest'
import {
  checkSiren,
  checkSiret,
  isValidSiren,
  isValidSiret,
  luhnComplete,
  siretFrom,
  vatNumber,
} from '../../mock/data/identifiers.js'

describe('identifiers', () => {
  it('accepts the SIREN 418166096 and the SIRET 41816609600051', () => {
    expect(isValidSiren('418166096')).toBe(true)
    expect(isValidSiret('41816609600051')).toBe(true)
  })

  it('rejects a SIREN and a SIRET whose Luhn key is wrong, and says it is the checksum', () => {
    expect(checkSiren('418166097')).toBe('checksum')
    expect(checkSiret('41816609600052')).toBe('checksum')
    expect(checkSiren('41816609')).toBe('format')
    expect(checkSiret('4181660960005A')).toBe('format')
  })

  it('accepts a La Poste SIRET whose digit sum is a multiple of 5 even when its Luhn key fails', () => {
    const sumOf = (s: string): number => [...s].reduce((a, c) => a + Number(c), 0)
    const candidates = Array.from(
      { length: 200 },
      (_, i) => `356000000${String(i).padStart(5, '0')}`,
    )
    const laPoste = candidates.find((s) => sumOf(s) % 5 === 0 && !isLuhnOnly(s))
    expect(laPoste).toMatch(/^356000000\d{5}$/)
    expect(isValidSiret(laPoste!)).toBe(true)
    // Outside La Poste, a digit sum multiple of 5 is no excuse: Luhn decides.
    const elsewhere = candidates
      .map((s) => `418166096${s.slice(9)}`)
      .find((s) => sumOf(s) % 5 === 0 && !isLuhnOnly(s))
    expect(elsewhere).toMatch(/^418166096\d{5}$/)
    expect(isValidSiret(elsewhere!)).toBe(false)
  })

  it('completes a Luhn key and builds a valid SIRET from a SIREN and a NIC prefix', () => {
    expect(isValidSiren(luhnComplete('41816609'))).toBe(true)
    expect(luhnComplete('41816609')).toBe('418166096')
    const siret = siretFrom('418166096', '0005')
    expect(siret.startsWith('4181660960005')).toBe(true)
    expect(isValidSiret(siret)).toBe(true)
  })

  it('computes the French VAT number of a SIREN: FR, a 2-digit key, the SIREN', () => {
    // key = (12 + 3 × (SIREN mod 97)) mod 97; 418166096 mod 97 = 66 → (12 + 198) mod 97 = 16.
    expect(vatNumber('418166096')).toBe('FR16418166096')
    expect(vatNumber('000000000')).toBe('FR12000000000')
  })
})

/** Luhn-valid, ignoring La Poste's rule. */
function isLuhnOnly(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return sum % 10 === 0
}
