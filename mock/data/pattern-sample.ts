/**
 * Draws a string that matches a regular expression (JSON Schema `pattern`). Faker's `fromRegExp`
 * knows neither `\d` nor groups nor alternations, which real contracts use; this small sampler
 * covers literals, escapes (`\d \w \s` and their negations), classes with ranges and negation,
 * groups, alternation and every quantifier. Lookarounds and back-references throw: the caller then
 * falls back to another source. Unbounded quantifiers repeat at most 3 more times than their minimum.
 */
import type { Faker } from '@faker-js/faker'

type Part =
  | { kind: 'chars'; set: string }
  | { kind: 'alt'; options: Part[][] }
  | { kind: 'repeat'; part: Part; min: number; max: number }

const DIGITS = '0123456789'
const LOWER = 'abcdefghijklmnopqrstuvwxyz'
const UPPER = LOWER.toUpperCase()
const WORD = `${LOWER}${UPPER}${DIGITS}_`
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('')
const CLASSES: Record<string, string> = { d: DIGITS, w: WORD, s: ' ' }
const ANY = `${LOWER}${UPPER}${DIGITS}`
const ACCENTED_LOWER = 'éèêàçôîù'
const ACCENTED_UPPER = 'ÉÈÊÀÇÔÎÙ'
const LETTERS = `${LOWER}${UPPER}${ACCENTED_LOWER}${ACCENTED_UPPER}`
/** Unicode properties a pattern may name, as the characters drawn for them. */
const UNICODE_PROPERTIES: Record<string, string> = {
  L: LETTERS,
  Letter: LETTERS,
  Alphabetic: LETTERS,
  Alpha: LETTERS,
  Lu: `${UPPER}${ACCENTED_UPPER}`,
  Uppercase_Letter: `${UPPER}${ACCENTED_UPPER}`,
  Uppercase: `${UPPER}${ACCENTED_UPPER}`,
  Ll: `${LOWER}${ACCENTED_LOWER}`,
  Lowercase_Letter: `${LOWER}${ACCENTED_LOWER}`,
  Lowercase: `${LOWER}${ACCENTED_LOWER}`,
  N: DIGITS,
  Nd: DIGITS,
  Number: DIGITS,
  Decimal_Number: DIGITS,
  P: '.,;:!?-\'"()',
  Punctuation: '.,;:!?-\'"()',
  Z: ' ',
  Zs: ' ',
  White_Space: ' ',
  S: '+$<=>^`|~',
}

const parsed = new Map<string, Part[]>()

/** A string matching `pattern` (an ECMAScript regular expression source). */
export function samplePattern(pattern: string, faker: Faker): string {
  let parts = parsed.get(pattern)
  if (!parts) {
    parts = new Parser(pattern).parse()
    parsed.set(pattern, parts)
  }
  return emit(parts, faker)
}

function emit(parts: Part[], faker: Faker): string {
  let out = ''
  for (const part of parts) {
    if (part.kind === 'chars') {
      const n = part.set.length
      if (n > 0) out += n === 1 ? part.set : part.set.charAt(faker.number.int(n - 1))
    } else if (part.kind === 'alt') out += emit(faker.helpers.arrayElement(part.options), faker)
    else {
      const n = faker.number.int({ min: part.min, max: part.max })
      for (let i = 0; i < n; i++) out += emit([part.part], faker)
    }
  }
  return out
}

class Parser {
  private i = 0
  constructor(private readonly src: string) {}

  parse(): Part[] {
    const parts = this.alternation()
    if (this.i < this.src.length) throw new Error(`unbalanced ")" in pattern ${this.src}`)
    return parts
  }

  private alternation(): Part[] {
    const options = [this.sequence()]
    while (this.src[this.i] === '|') {
      this.i++
      options.push(this.sequence())
    }
    return options.length === 1 ? options[0]! : [{ kind: 'alt', options }]
  }

  private sequence(): Part[] {
    const parts: Part[] = []
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom()
      if (atom) parts.push(this.quantified(atom))
    }
    return parts
  }

  private atom(): Part | undefined {
    const c = this.src[this.i++]!
    if (c === '^' || c === '$') return undefined
    if (c === '.') return { kind: 'chars', set: ANY }
    if (c === '[') return this.charClass()
    if (c === '\\') return this.escape()
    if (c === '(') {
      if (this.src[this.i] === '?') {
        if (this.src[this.i + 1] !== ':')
          throw new Error(`lookaround not supported in pattern ${this.src}`)
        this.i += 2
      }
      const inner = this.alternation()
      if (this.src[this.i++] !== ')') throw new Error(`missing ")" in pattern ${this.src}`)
      return { kind: 'alt', options: [inner] }
    }
    return { kind: 'chars', set: c }
  }

  private escape(): Part {
    const c = this.src[this.i++]!
    if (c === 'b' || c === 'B') return { kind: 'chars', set: '' }
    if (/[1-9]/.test(c)) throw new Error(`back-reference not supported in pattern ${this.src}`)
    return { kind: 'chars', set: this.escapedSet(c) }
  }

  /** The characters an escape stands for, inside or outside a class. */
  private escapedSet(c: string): string {
    if (CLASSES[c] !== undefined) return CLASSES[c]
    const negated = CLASSES[c.toLowerCase()]
    if (negated !== undefined) return [...PRINTABLE].filter((ch) => !negated.includes(ch)).join('')
    if ((c === 'p' || c === 'P') && this.src[this.i] === '{') {
      // Unicode property (`\p{Lu}`, `\P{N}`): drawn from the Latin letters, digits... it names.
      const end = this.src.indexOf('}', this.i)
      if (end === -1) throw new Error(`unterminated \\${c}{ in pattern ${this.src}`)
      const name = this.src.slice(this.i + 1, end).replace(/^(General_Category|gc)=/, '')
      this.i = end + 1
      const set = UNICODE_PROPERTIES[name]
      if (set === undefined) throw new Error(`unicode property ${name} not supported`)
      return c === 'p' ? set : [...PRINTABLE].filter((ch) => !set.includes(ch)).join('')
    }
    if (c === 'n') return '\n'
    if (c === 't') return '\t'
    if (c === 'u' || c === 'x') {
      const len = c === 'u' ? 4 : 2
      const hex = this.src.slice(this.i, this.i + len)
      this.i += len
      return String.fromCharCode(parseInt(hex, 16))
    }
    return c
  }

  private charClass(): Part {
    const negate = this.src[this.i] === '^'
    if (negate) this.i++
    let set = ''
    let first = true
    while (this.i < this.src.length && (this.src[this.i] !== ']' || first)) {
      first = false
      let c = this.src[this.i++]!
      if (c === '\\') {
        const s = this.escapedSet(this.src[this.i++]!)
        if (s.length !== 1) {
          set += s
          continue
        }
        c = s
      }
      if (
        this.src[this.i] === '-' &&
        this.src[this.i + 1] !== ']' &&
        this.i + 1 < this.src.length
      ) {
        this.i++
        let end = this.src[this.i++]!
        if (end === '\\') end = this.escapedSet(this.src[this.i++]!)
        for (let code = c.charCodeAt(0); code <= end.charCodeAt(0); code++)
          set += String.fromCharCode(code)
      } else set += c
    }
    this.i++ // ']'
    if (negate) set = [...PRINTABLE].filter((ch) => !set.includes(ch)).join('')
    if (!set) throw new Error(`empty character class in pattern ${this.src}`)
    return { kind: 'chars', set: [...new Set(set)].join('') }
  }

  private quantified(part: Part): Part {
    const c = this.src[this.i]
    let min: number
    let max: number
    if (c === '?') [min, max] = [0, 1]
    else if (c === '*') [min, max] = [0, 3]
    else if (c === '+') [min, max] = [1, 4]
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i))
      if (!m) return part
      min = Number(m[1])
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : min + 3
      this.i += m[0].length - 1
    } else return part
    this.i++
    if (this.src[this.i] === '?') this.i++ // lazy: same strings
    return { kind: 'repeat', part, min, max }
  }
}
