import { randomUUID } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULTS } from '../../mock/options.js'
import { loadScenarios } from '../../mock/scenarios/load-scenarios.js'
import { scenarioLength } from '../../mock/scenarios/rules.js'
import { preparedFiles, preparedFileWith } from '../helpers/prepared-file.js'

const BUNDLED = [
  'burst-429',
  'partial-206',
  'provider-502-retry-in',
  'maintenance-503',
  'provider-timeout-504',
  'ip-ban',
  'token-expiry',
  'flaky-network',
  'all-incidents',
]

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'scenarios-'))
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
  return dir
}

const load = (dir: string): ReturnType<typeof loadScenarios> =>
  loadScenarios([DEFAULTS.bundledScenarios, dir], () => {})

describe('loadScenarios', () => {
  it('loads every bundled scenario against the schema that ships with the project', async () => {
    const all = await loadScenarios([DEFAULTS.bundledScenarios], () => {})
    for (const name of BUNDLED) expect(all.has(name), name).toBe(true)
    expect(all.get('all-incidents')!.sequence).toBe(true)
    expect(scenarioLength(all.get('all-incidents')!)).toBe(57)
  })

  it('refuses an unknown effect type with the file, the line and the known types', async () => {
    const dir = await dirWith({ 'bad.yaml': 'description: x\neffect:\n  type: explode\n' })
    await expect(load(dir)).rejects.toThrow(
      /bad\.yaml: line 3, at effect\.type: effect type must be one of rate-limit, partial/,
    )
  })

  it('refuses an unknown field with its line', async () => {
    const dir = await dirWith({
      'bad.yaml': 'description: x\neffect:\n  type: reset\nwhen:\n  sometimes: true\n',
    })
    await expect(load(dir)).rejects.toThrow(/line 5, at when: unknown field "sometimes"/)
  })

  it('refuses a YAML syntax error with its line', async () => {
    const dir = await dirWith({ 'bad.yaml': 'description: x\neffect: [\n' })
    await expect(load(dir)).rejects.toThrow(/bad\.yaml: line \d+: /)
  })

  it('refuses a file that has neither effect, rules nor sequence', async () => {
    const dir = await dirWith({ 'bad.yaml': 'description: nothing happens\n' })
    await expect(load(dir)).rejects.toThrow(/exactly one of effect .* rules or sequence/)
  })

  it('refuses a sequence step that plays an unknown scenario, listing the known ones', async () => {
    const marker = randomUUID()
    const dir = await dirWith({
      'seq.yaml': `description: ${marker}\nsequence:\n  - calls: 2\n  - scenario: nope\n`,
    })
    const before = preparedFiles()
    await expect(load(dir)).rejects.toThrow(
      /seq\.yaml: line 4: step plays "nope".*known: .*burst-429/,
    )
    // The file passed its own checks, so it was kept (this file, among those other tests write at
    // the same time); read back from the start-up cache, the fault found across files still names
    // its line.
    expect(await preparedFileWith('scenario', marker, before)).toMatch(/scenario-\w+\.json$/)
    await expect(load(dir)).rejects.toThrow(
      /seq\.yaml: line 4: step plays "nope".*known: .*burst-429/,
    )
  })

  it('refuses a name that differs from the file name', async () => {
    const dir = await dirWith({
      'one.yaml': 'name: two\ndescription: x\neffect: { type: reset }\n',
    })
    await expect(load(dir)).rejects.toThrow(/name "two" differs from the file name "one"/)
  })

  it('lets a --scenarios folder replace a bundled scenario of the same name', async () => {
    const dir = await dirWith({ 'burst-429.yaml': 'description: mine\neffect: { type: reset }\n' })
    const lines: string[] = []
    const all = await loadScenarios([DEFAULTS.bundledScenarios, dir], (l) => lines.push(l))
    expect(all.get('burst-429')!.description).toBe('mine')
    expect(lines.join('\n')).toMatch(/replaces/)
  })
})
