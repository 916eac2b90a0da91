import { describe, expect, it } from 'vitest'
import type { JsonSchema } from '../../mock/contract/types.js'
import {
  createGenerationContext,
  generateFromSchema,
} from '../../mock/data/generate-from-schema.js'
import { createSeededFaker } from '../../mock/data/seeded.js'
import { createValidator, errorsOf } from './helpers.js'

const random = createSeededFaker()
const validate30 = createValidator('3.0')
const validate31 = createValidator('3.1')

/** Generates `schema` with `runs` seeds, checks each value with ajv, returns the values. */
function generateValid(schema: JsonSchema, runs = 25, dialect: '3.0' | '3.1' = '3.0'): unknown[] {
  const validate = (dialect === '3.0' ? validate30 : validate31)(schema)
  return Array.from({ length: runs }, (_, run) => {
    const ctx = createGenerationContext({ faker: random.forKey(run, 'schema-test'), seed: run })
    const value = generateFromSchema(schema, ctx)
    if (!validate(value)) throw new Error(`${JSON.stringify(value)}\n${errorsOf(validate)}`)
    return value
  })
}

describe('generateFromSchema: types', () => {
  it('produces each JSON type, and null only where OpenAPI 3.0 `nullable` allows it', () => {
    const schema = {
      type: 'object',
      required: ['s', 'n', 'i', 'b', 'o', 'a'],
      properties: {
        s: { type: 'string' },
        n: { type: 'number' },
        i: { type: 'integer' },
        b: { type: 'boolean' },
        o: { type: 'object', properties: { x: { type: 'string', nullable: true, example: 'x' } } },
        a: { type: 'array', items: { type: 'integer' } },
        z: { type: 'string', nullable: true },
      },
    }
    for (const v of generateValid(schema) as Record<string, unknown>[]) {
      expect(typeof v.s).toBe('string')
      expect(Number.isInteger(v.i)).toBe(true)
      expect(typeof v.b).toBe('boolean')
      expect(Array.isArray(v.a)).toBe(true)
    }
  })

  it('reads OpenAPI 3.1 type arrays with null, numeric exclusive bounds and `examples`', () => {
    const schema = {
      type: 'object',
      required: ['name', 'ratio', 'tag'],
      properties: {
        name: { type: ['string', 'null'], minLength: 3 },
        ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        tag: { type: 'string', examples: ['alpha'] },
        list: { type: ['array', 'null'], items: { type: 'string' }, minItems: 2 },
      },
    }
    for (const v of generateValid(schema, 25, '3.1') as Record<string, unknown>[])
      expect(v.tag).toBe('alpha')
  })

  it('reads `type: date`, a spelling real contracts use, as a date string', () => {
    const [v] = generateValid({ type: 'object', properties: { jour: { type: 'date' } } }, 1)
    expect((v as { jour: string }).jour).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })
})

describe('generateFromSchema: format', () => {
  it('honours date, date-time, time, email, uri, url, uuid, ipv4, ipv6, hostname and byte', () => {
    const formats = [
      'date',
      'date-time',
      'time',
      'email',
      'uri',
      'url',
      'uuid',
      'ipv4',
      'ipv6',
      'hostname',
      'byte',
    ]
    const schema = {
      type: 'object',
      required: formats.map((_, i) => `field_${i}`),
      properties: Object.fromEntries(
        formats.map((f, i) => [`field_${i}`, { type: 'string', format: f }]),
      ),
    }
    generateValid(schema, 40)
  })
})

describe('generateFromSchema: enum and const', () => {
  it('picks enum values (never null unless listed) and returns const values as they are', () => {
    const schema = {
      type: 'object',
      required: ['kind', 'fixed', 'sexe', 'maybe'],
      properties: {
        kind: { type: 'string', enum: ['a', 'b', 'c'] },
        fixed: { const: { v: 1 } },
        sexe: { type: 'string', nullable: true, enum: ['M', 'F'] },
        maybe: { type: 'string', nullable: true, enum: ['x', null] },
        n: { type: 'integer', enum: [3, 5, 8] },
      },
    }
    const kinds = new Set(generateValid(schema, 40).map((v) => (v as { kind: string }).kind))
    expect(kinds.size).toBeGreaterThan(1)
  })
})

describe('generateFromSchema: pattern', () => {
  it('draws strings that match patterns with escapes, classes, groups, alternations and quantifiers', () => {
    const patterns = [
      '^\\d{9}$',
      '^\\d{4}[A-Z]{2}$',
      '^[A-Z]{2}\\d{2}-(ab|cd|ef)+$',
      '^W\\d{9}$',
      '^(?:FR|BE)[0-9A-Z]{2}\\s?\\d{3}$',
      '^[^a-z]{3,5}\\.[a-z]*$',
      '^\\w+@\\w+\\.fr$',
      'x{2,}y?$',
    ]
    const schema = {
      type: 'object',
      required: patterns.map((_, i) => `p${i}`),
      properties: Object.fromEntries(
        patterns.map((p, i) => [`p${i}`, { type: 'string', pattern: p }]),
      ),
    }
    generateValid(schema, 40)
  })

  it('lets a pattern overrule a name heuristic', () => {
    const schema = {
      type: 'object',
      required: ['email', 'date_creation', 'code_postal'],
      properties: {
        email: { type: 'string', pattern: '^ZZ-\\d{3}$' },
        date_creation: { type: 'string', pattern: '^\\d{2}/\\d{4}$' },
        code_postal: { type: 'string', pattern: '^CP\\d{3}$' },
      },
    }
    generateValid(schema)
  })
})

describe('generateFromSchema: string length', () => {
  it('keeps every string within minLength and maxLength, cutting or replacing a heuristic value', () => {
    const schema = {
      type: 'object',
      required: ['raison_sociale', 'siren', 'libelle', 'long', 'annee'],
      properties: {
        raison_sociale: { type: 'string', maxLength: 6 },
        siren: { type: 'string', maxLength: 4 },
        libelle: { type: 'string', minLength: 30, maxLength: 32 },
        long: { type: 'string', minLength: 80 },
        annee: { type: 'string', minLength: 4, maxLength: 4 },
      },
    }
    generateValid(schema)
  })
})

describe('generateFromSchema: numbers', () => {
  it('honours minimum, maximum, OpenAPI 3.0 boolean exclusive bounds and multipleOf', () => {
    const schema = {
      type: 'object',
      required: ['a', 'b', 'c', 'd', 'e', 'f', 'montant'],
      properties: {
        a: { type: 'integer', minimum: 10, maximum: 12 },
        b: {
          type: 'number',
          minimum: 0,
          maximum: 1,
          exclusiveMinimum: true,
          exclusiveMaximum: true,
        },
        c: { type: 'integer', minimum: 5, exclusiveMinimum: true, maximum: 6 },
        d: { type: 'number', multipleOf: 0.25, minimum: 1, maximum: 3 },
        e: { type: 'integer', multipleOf: 7, minimum: 100 },
        f: { type: 'number', multipleOf: 0.1, maximum: 2 },
        montant: { type: 'integer', maximum: 50 },
      },
    }
    for (const v of generateValid(schema, 40) as Record<string, number>[]) expect(v.c).toBe(6)
  })
})

describe('generateFromSchema: arrays', () => {
  it('makes 1 to 3 items by default, and honours minItems, maxItems and uniqueItems', () => {
    const schema = {
      type: 'object',
      required: ['plain', 'many', 'none', 'unique'],
      properties: {
        plain: { type: 'array', items: { type: 'string' } },
        many: { type: 'array', items: { type: 'integer' }, minItems: 5, maxItems: 6 },
        none: { type: 'array', items: { type: 'string' }, maxItems: 0 },
        unique: { type: 'array', items: { type: 'boolean' }, minItems: 2, uniqueItems: true },
      },
    }
    for (const v of generateValid(schema, 30) as Record<string, unknown[]>[]) {
      expect(v.plain!.length).toBeGreaterThanOrEqual(1)
      expect(v.plain!.length).toBeLessThanOrEqual(3)
    }
  })
})

describe('generateFromSchema: objects', () => {
  it('fills required and optional properties, and honours additionalProperties and minProperties', () => {
    const schema = {
      type: 'object',
      required: ['id', 'undeclared'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        optional: { type: 'integer' },
        map: { type: 'object', additionalProperties: { type: 'integer', minimum: 1 } },
        bag: { type: 'object', minProperties: 3, additionalProperties: { type: 'string' } },
        closed: {
          type: 'object',
          additionalProperties: false,
          properties: { only: { type: 'string' } },
        },
        secret: { type: 'string', writeOnly: true },
      },
    }
    for (const v of generateValid(schema) as Record<string, unknown>[]) {
      expect(v).toHaveProperty('optional')
      expect(v).toHaveProperty('undeclared')
      expect(v).not.toHaveProperty('secret')
      expect(Object.keys(v.map as object).length).toBeGreaterThan(0)
      expect(Object.keys(v.bag as object).length).toBeGreaterThanOrEqual(3)
      expect(Object.keys(v.closed as object)).toEqual(['only'])
    }
  })
})

describe('generateFromSchema: composition', () => {
  it('merges allOf, and picks one branch of oneOf and anyOf deterministically', () => {
    const schema = {
      type: 'object',
      required: ['merged', 'either', 'any'],
      properties: {
        merged: {
          allOf: [
            { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
            { type: 'object', required: ['b'], properties: { b: { type: 'integer', minimum: 3 } } },
          ],
        },
        either: {
          oneOf: [
            {
              type: 'object',
              required: ['kind', 'n'],
              properties: { kind: { const: 'num' }, n: { type: 'integer' } },
            },
            {
              type: 'object',
              required: ['kind', 's'],
              properties: { kind: { const: 'str' }, s: { type: 'string' } },
            },
          ],
        },
        any: {
          anyOf: [
            { type: 'string', format: 'email' },
            { type: 'integer', minimum: 1 },
          ],
        },
        // ajv wants `type` beside `nullable`, as OpenAPI 3.0.3 does.
        nullable: {
          type: 'object',
          nullable: true,
          allOf: [{ type: 'object', properties: { x: { type: 'boolean' } } }],
        },
      },
    }
    const values = generateValid(schema, 40) as Record<string, { kind?: string }>[]
    expect(new Set(values.map((v) => v.either!.kind)).size).toBe(2)
  })

  it('draws a oneOf value that only one branch accepts', () => {
    const schema = {
      type: 'object',
      required: ['contact'],
      properties: {
        contact: {
          oneOf: [{ type: 'string' }, { type: 'string', format: 'email' }, { type: 'integer' }],
        },
      },
    }
    generateValid(schema, 60)
  })

  it('generates a deep but finite schema whole, optional properties included', () => {
    let schema: JsonSchema = {
      type: 'object',
      properties: { leaf: { type: 'string', example: 'bottom' } },
    }
    for (let i = 0; i < 14; i++) schema = { type: 'object', properties: { [`level${i}`]: schema } }
    const [value] = generateValid(schema, 1)
    expect(JSON.stringify(value)).toContain('"leaf":"bottom"')
  })

  it('stops a recursive schema at the depth guard with a valid value', () => {
    const node: Record<string, unknown> = {
      type: 'object',
      properties: { name: { type: 'string' } },
    }
    ;(node.properties as Record<string, unknown>).children = { type: 'array', items: node }
    ;(node.properties as Record<string, unknown>).parent = node
    const ctx = createGenerationContext({ faker: random.forKey(1, 'recursive'), maxDepth: 6 })
    const value = generateFromSchema(node, ctx)
    expect(JSON.stringify(value).length).toBeGreaterThan(10)
    // A circular schema cannot go through ajv's compiler; check the depth by hand.
    const depth = (v: unknown): number =>
      v && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0
    expect(depth(value)).toBeLessThanOrEqual(8)
  })
})

describe('generateFromSchema: fallbacks that pass the schema', () => {
  it('draws Unicode property patterns, short e-mails, anchored patterns on formats, narrow decimal ranges', () => {
    const upper = generateValid({ type: 'string', pattern: '^\\p{Lu}{3}$' }, 10, '3.1')
    expect(upper.every((v) => typeof v === 'string' && [...v].length === 3)).toBe(true)
    generateValid({ type: 'string', format: 'email', maxLength: 10 }, 10)
    const stamps = generateValid({ type: 'string', format: 'date-time', pattern: '^2024-' }, 10)
    expect(stamps.every((v) => String(v).startsWith('2024-'))).toBe(true)
    generateValid({ type: 'string', format: 'ipv4', pattern: '^10\\.' }, 10)
    generateValid({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 0.001 }, 10, '3.1')
  })

  it('reads a stray non-schema where a schema belongs as "anything", without a crash', () => {
    const schema = { type: 'object', required: ['a'], properties: { a: 'stray' } } as JsonSchema
    const ctx = createGenerationContext({ faker: random.forKey(1, 'stray'), seed: 1 })
    expect(generateFromSchema(schema, ctx)).toHaveProperty('a')
  })
})
