/**
 * `Date#toISOString` with the text up to the second kept from the previous call: arrivals come in
 * time order and many share a second, and a token's expiry is the same for all of its calls.
 */
export function isoFormatter(): (ms: number) => string {
  let second = NaN
  let prefix = ''
  return (given) => {
    const ms = saneMs(given)
    const s = Math.floor(ms / 1000)
    if (s !== second) {
      second = s
      prefix = new Date(s * 1000).toISOString().slice(0, 20) // '2026-11-21T22:10:01.'
    }
    return `${prefix}${String(ms - s * 1000).padStart(3, '0')}Z`
  }
}

/** Earliest and latest instants `Date` can show (±100,000,000 days from 1970), ms. */
const DATE_LIMIT = 8.64e15

/** A time `Date` can format: NaN reads as 0, beyond its range as its limit. */
const saneMs = (ms: number): number =>
  Number.isFinite(ms) ? Math.min(Math.max(Math.trunc(ms), -DATE_LIMIT), DATE_LIMIT) : 0

/**
 * `Date#toISOString` that never throws: entries are built after the answer has left, from times that
 * inputs are checked for but that one bug elsewhere could still make absurd. A time beyond what
 * `Date` shows is shown at its limit rather than ending the process.
 */
export const isoTime = (ms: number): string => new Date(saneMs(ms)).toISOString()
