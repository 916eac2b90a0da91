import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import type { SandboxOptions } from '../../mock/options.js'
import { assemblePipeline, SHARED_STAGES, type Pipeline } from '../../mock/pipeline.js'
import { tempFiles } from '../helpers/temp-files.js'
import { DOUANE } from '../resources/harness.js'

/** The request stages, in the order a request meets them. */
const REQUEST = [
  'holdBanned',
  'routeRequest',
  'authenticate',
  'markDeprecated',
  'answerInterruption',
  'validateRequest',
  'limitRate',
  'answerPrivileges',
  'applyScenario',
  'serveResources',
  'resolveData',
]
/** The stages every reply goes through before it is sent. */
const RESPONSE = ['filterByScope', 'markClockShift', 'finishScenario']

const namesOf = (p: Pipeline): { request: string[]; response: string[] } => ({
  request: p.request.map((s) => s.name),
  response: p.response.map((s) => s.name),
})

const opened: Sandbox[] = []
const open = async (options: SandboxOptions): Promise<Sandbox> => {
  const sandbox = await createSandbox({ log: () => undefined, demoClient: false, ...options })
  opened.push(sandbox)
  return sandbox
}
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()))
})

describe('the pipeline of an API request', () => {
  it('runs the stages in their order for the plain mock (no auth, no limits, no journal)', async () => {
    const sandbox = await open({
      state: 'memory',
      auth: false,
      rateLimits: 'off',
      journal: { enabled: false },
    })
    expect(namesOf(assemblePipeline(sandbox.context))).toEqual({
      request: REQUEST,
      response: RESPONSE,
    })
  })

  it('runs the same stages in the same order with every feature on', async () => {
    const state = join(tempFiles({}), 'state.json')
    const sandbox = await open({
      state,
      adminToken: 'pipeline-order-admin-token',
      enforceSunset: true,
    })
    expect(sandbox.context.options.auth).toBe(true)
    expect(sandbox.context.journal.enabled).toBe(true)
    expect(namesOf(assemblePipeline(sandbox.context))).toEqual({
      request: REQUEST,
      response: RESPONSE,
    })
  })

  it('shares only the connection and route stages between several APIs, then each runs its own', async () => {
    const sandbox = await open({ state: 'memory', apis: [DOUANE] })
    expect(sandbox.context.apis).toHaveLength(2)
    for (const api of sandbox.context.apis) {
      const pipeline = assemblePipeline(api)
      expect(namesOf(pipeline)).toEqual({ request: REQUEST, response: RESPONSE })
      expect(pipeline.request.slice(0, SHARED_STAGES).map((s) => s.name)).toEqual([
        'holdBanned',
        'routeRequest',
      ])
    }
  })

  it('is described by the comment of assemblePipeline, stage by stage and in order', () => {
    const source = readFileSync(join(import.meta.dirname, '../../mock/pipeline.ts'), 'utf8')
    const comment = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export function assemblePipeline\(/.exec(
      source,
    )?.[1]
    expect(comment, 'a doc comment right above assemblePipeline').toBeTypeOf('string')
    const [requestPart, responsePart] = comment!.split('then, on every reply')
    expect(responsePart, 'the comment says what runs "then, on every reply"').toBeTypeOf('string')
    const stagesIn = (text: string): string[] =>
      [...text.matchAll(/`([a-z][A-Za-z]+)`/g)].map((m) => m[1]!)
    expect(stagesIn(requestPart!)).toEqual(REQUEST)
    expect(stagesIn(responsePart!)).toEqual(RESPONSE)
  })
})
