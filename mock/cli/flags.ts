import { InvalidArgumentError } from 'commander'

/*
 * Commander's usage error already names the flag, or the environment variable and its flag
 * ("option '--port <n>' value 'x' from env 'PORT' is invalid."): these parsers add what was expected.
 * `_flag` names the flag for whoever reads the call.
 */

/** Parses a whole number flag, or fails with commander's usage error. */
export function intFlag(_flag: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value)
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`)
    }
    return n
  }
}

/** Parses a number >= 0 (fractions allowed), or fails with commander's usage error. */
export function numberFlag(_flag: string) {
  return (value: string): number => {
    const n = Number(value)
    if (!value.trim() || !Number.isFinite(n) || n < 0)
      throw new InvalidArgumentError('Expected a number >= 0.')
    return n
  }
}

/** Parses a share from 0 to 1 (`0.2`), or fails with commander's usage error. */
export function shareFlag(_flag: string) {
  return (value: string): number => {
    const n = Number(value)
    if (!value.trim() || !Number.isFinite(n) || n < 0 || n > 1)
      throw new InvalidArgumentError('Expected a number from 0 to 1, such as 0.2.')
    return n
  }
}

/** Parses a calendar day written `YYYY-MM-DD`, from 1970 on, or fails with commander's usage error. */
export function dayFlag(_flag: string) {
  return (value: string): string => {
    const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN
    if (!(ms >= 0) || new Date(ms).toISOString().slice(0, 10) !== value)
      throw new InvalidArgumentError('Expected a day written YYYY-MM-DD, such as 2026-12-03.')
    return value
  }
}
