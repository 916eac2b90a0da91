import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

const MODULE = resolve(import.meta.dirname, '../../dist/mock/cli/tune-heap.js')

/**
 * Size of the young generation (MiB) of a fresh Node process that calls `tuneHeap()` and then
 * allocates short- and middle-lived objects, enough for an untuned young generation to grow.
 */
function youngGenerationAfterLoad(nodeFlags: string[]): number {
  if (!existsSync(MODULE))
    throw new Error(`${MODULE} is missing: run "npm run build" first (npm test does it).`)
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8'
    const { tuneHeap } = await import(${JSON.stringify(pathToFileURL(MODULE).href)})
    tuneHeap()
    const kept = []
    for (let i = 0; i < 2e6; i++) {
      const o = { i, pair: [i, i], text: 'x' + i }
      if (i % 3 === 0) kept.push(o)
      if (kept.length > 20000) kept.length = 0
    }
    const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')
    console.log(space.space_size / 1048576)`
  const r = spawnSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  })
  if (r.status !== 0) throw new Error(`the child process failed: ${r.stderr}`)
  return Number(r.stdout.trim())
}

describe('the CLI heap settings', () => {
  it('keep the young generation at its first size under allocation', () => {
    expect(youngGenerationAfterLoad([])).toBeLessThanOrEqual(2)
  })

  it('leave the young generation to a size the user gives', () => {
    expect(youngGenerationAfterLoad(['--max-semi-space-size=8'])).toBeGreaterThan(2)
  })
})
