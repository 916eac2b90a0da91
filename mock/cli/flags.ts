import { InvalidArgumentError } from 'commander'

/** Parses a whole number flag, or fails with commander's usage error. */
export function intFlag(name: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value)
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`)
    }
    return n
  }
}

/** Parses a number >= 0 (fractions allowed), or fails with commander's usage error. */
export function numberFlag(name: string) {
  return (value: string): number => {
    const n = Number(value)
    if (!value.trim() || !Number.isFinite(n) || n < 0)
      throw new InvalidArgumentError(`${name} must be a number >= 0.`)
    return n
  }
}
