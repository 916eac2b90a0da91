import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { loadContract } from '../../mock/contract/load-contract.js'
import { SandboxConfigError } from '../../mock/errors.js'
import { tempFiles } from '../helpers/temp-files.js'

async function messageOf(file: string): Promise<string> {
  const err = await loadContract(file).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(SandboxConfigError)
  return (err as Error).message
}

const WHOLE = JSON.stringify(
  {
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    paths: { '/a': { get: { responses: { '200': { description: 'ok' } } } } },
  },
  null,
  2,
)

describe('contract faults say where they are', () => {
  it('a truncated JSON contract: the line and column where it stops, no character offset', async () => {
    const text = WHOLE.slice(0, WHOLE.indexOf('"paths"') + 20)
    const lines = text.split('\n')
    const dir = tempFiles({ 'cut.json': text })
    const message = await messageOf(join(dir, 'cut.json'))
    expect(message).toContain(
      `cut.json: line ${lines.length}, column ${lines.at(-1)!.length + 1}: not valid JSON`,
    )
    expect(message).not.toMatch(/position/)
  })

  it('a JSON syntax error in the middle: its line and column', async () => {
    const text = WHOLE.replace('"version": "1"', '"version": "1",,')
    const line = text.split('\n').findIndex((l) => l.includes(',,')) + 1
    const dir = tempFiles({ 'comma.json': text })
    const message = await messageOf(join(dir, 'comma.json'))
    expect(message).toMatch(new RegExp(`comma\\.json: line ${line}, column \\d+: not valid JSON`))
    expect(message).not.toMatch(/position/)
  })

  it('a broken $ref in another file: that file and the JSON pointer of the $ref', async () => {
    const dir = tempFiles({
      'api.yaml':
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: { $ref: 'schemas.yaml#/Thing' }\n",
      'schemas.yaml': 'Thing:\n  type: object\n  properties:\n    id: { $ref: "#/Nope" }\n',
    })
    const message = await messageOf(join(dir, 'api.yaml'))
    expect(message).toContain(join(dir, 'schemas.yaml'))
    expect(message).toContain('/Thing/properties/id')
    expect(message).toContain('#/Nope')
  })
})
