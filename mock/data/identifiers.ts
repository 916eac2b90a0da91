/**
 * French company identifiers: SIREN (9 digits) and SIRET (14 digits = SIREN + 5-digit NIC), both
 * protected by a Luhn key. La Poste's establishments are the one documented exception: their SIRETs
 * (SIREN 356000000) use a "sum of digits is a multiple of 5" rule instead of Luhn.
 */

/** SIREN of La Poste, whose SIRETs follow the sum-of-digits rule instead of Luhn. */
export const LA_POSTE_SIREN = '356000000'

/** Luhn check over a string of digits (no other character allowed). */
export function isLuhnValid(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

/** Why an identifier is rejected, or `undefined` when it is valid. */
export type IdentifierProblem = 'format' | 'checksum'

/** Checks a SIREN: exactly 9 digits and a valid Luhn key. */
export function checkSiren(value: string): IdentifierProblem | undefined {
  if (!/^\d{9}$/.test(value)) return 'format'
  return isLuhnValid(value) ? undefined : 'checksum'
}

/** Checks a SIRET: exactly 14 digits, a valid Luhn key (La Poste: digit sum multiple of 5). */
export function checkSiret(value: string): IdentifierProblem | undefined {
  if (!/^\d{14}$/.test(value)) return 'format'
  if (value.startsWith(LA_POSTE_SIREN)) {
    // La Poste numbers its many establishments with a digit-sum key instead of Luhn.
    let sum = 0
    for (const c of value) sum += c.charCodeAt(0) - 48
    return sum % 5 === 0 ? undefined : 'checksum'
  }
  return isLuhnValid(value) ? undefined : 'checksum'
}

export const isValidSiren = (value: string): boolean => checkSiren(value) === undefined
export const isValidSiret = (value: string): boolean => checkSiret(value) === undefined

/** Appends the digit that makes `prefix + digit` Luhn-valid. */
export function luhnComplete(prefix: string): string {
  for (let d = 0; d <= 9; d++) {
    const candidate = prefix + String(d)
    if (isLuhnValid(candidate)) return candidate
  }
  /* c8 ignore next */
  throw new Error('unreachable: one digit always completes a Luhn number')
}

/**
 * Completes a SIRET from a SIREN and the first four digits of a NIC, choosing the last NIC digit so
 * that the SIRET is valid.
 */
export function siretFrom(siren: string, nicPrefix: string): string {
  return luhnComplete(siren + nicPrefix.padStart(4, '0').slice(0, 4))
}

/** Intra-community VAT number of a SIREN: `FR` + 2-digit key + SIREN. */
export function vatNumber(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97
  return `FR${String(key).padStart(2, '0')}${siren}`
}
