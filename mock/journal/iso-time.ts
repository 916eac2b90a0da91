/**
 * `Date#toISOString` with the text up to the second kept from the previous call: arrivals come in
 * time order and many share a second, and a token's expiry is the same for all of its calls.
 */
export function isoFormatter(): (ms: number) => string {
  let second = NaN
  let prefix = ''
  return (ms) => {
    const s = Math.floor(ms / 1000)
    if (s !== second) {
      second = s
      prefix = new Date(s * 1000).toISOString().slice(0, 20) // '2026-11-21T22:10:01.'
    }
    return `${prefix}${String(ms - s * 1000).padStart(3, '0')}Z`
  }
}
