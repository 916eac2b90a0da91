import { describe, expect, it } from 'vitest'
import { checkSiren, checkSiret, siretFrom } from '../../mock/data/identifiers.js'

describe('SIREN and SIRET keys', () => {
  it('accepts the SIREN 418166096 and its SIRET 41816609600051', () => {
    expect(checkSiren('418166096')).toBeUndefined()
    expect(checkSiret('41816609600051')).toBeUndefined()
  })

  it('tells a format problem from a checksum problem', () => {
    expect(checkSiren('41816609a')).toBe('format')
    expect(checkSiren('418166097')).toBe('checksum')
    expect(checkSiret('4181660960005')).toBe('format')
    expect(checkSiret('41816609600052')).toBe('checksum')
  })

  it("accepts La Poste's SIRETs by their digit-sum rule even where Luhn fails", () => {
    // NIC 00010: digit sum 15 (valid, though Luhn fails); NIC 00014: Luhn-valid but digit sum 19.
    expect(checkSiret('35600000000010')).toBeUndefined()
    expect(checkSiret('35600000000014')).toBe('checksum')
  })

  it('completes a SIRET whose key is valid', () => {
    expect(checkSiret(siretFrom('418166096', '0005'))).toBeUndefined()
  })
})
