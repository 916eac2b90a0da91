import { readFileSync } from 'node:fs'
import $RefParser from '@apidevtools/json-schema-ref-parser'
import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { resolveLocalRefs } from '../../mock/contract/local-refs.js'
import { realContractPath } from '../helpers/real-contract.js'

describe('resolveLocalRefs', () => {
  it('gives the same document as the general resolver on the real contract', async () => {
    const text = readFileSync(realContractPath(), 'utf8')
    const ours = resolveLocalRefs(yaml.load(text) as Record<string, unknown>)
    const general = await $RefParser.dereference(yaml.load(text) as object, {
      dereference: { circular: 'ignore' },
    })
    expect(ours).toBeDefined()
    expect(JSON.stringify(ours)).toBe(JSON.stringify(general))
  })

  it('shares one resolved object between its references', () => {
    const doc = {
      a: { $ref: '#/components/x' },
      b: { $ref: '#/components/x' },
      components: { x: { type: 'string' } },
    }
    const out = resolveLocalRefs(doc) as Record<string, unknown>
    expect(out.a).toEqual({ type: 'string' })
    expect(out.a).toBe(out.b)
  })

  it('leaves a circular reference as a $ref', () => {
    const doc = {
      components: { node: { type: 'object', properties: { next: { $ref: '#/components/node' } } } },
      root: { $ref: '#/components/node' },
    }
    const out = resolveLocalRefs(doc) as { root: { properties: { next: unknown } } }
    expect(out.root.properties.next).toEqual({ $ref: '#/components/node' })
  })

  it('declines a reference to another file, or one that does not resolve, for the general resolver to report', () => {
    expect(resolveLocalRefs({ a: { $ref: 'other.yaml#/x' } })).toBeUndefined()
    expect(resolveLocalRefs({ a: { $ref: '#/nowhere' } })).toBeUndefined()
  })
})
