import { afterEach, describe, expect, it, vi } from 'vitest'

const setFlags = vi.hoisted(() => vi.fn())
vi.mock('node:v8', async (original) => ({
  ...(await original<typeof import('node:v8')>()),
  setFlagsFromString: setFlags,
}))

const { HEAP_FLAGS, tuneHeap } = await import('../../mock/cli/tune-heap.js')

describe('the V8 flags the CLI sets for itself', () => {
  const execArgv = process.execArgv
  afterEach(() => {
    setFlags.mockReset()
    process.execArgv = execArgv
    vi.unstubAllEnvs()
  })

  it('sets each of them when the user gave none, scavenges on the main thread alone included', () => {
    process.execArgv = []
    vi.stubEnv('NODE_OPTIONS', '')
    tuneHeap()
    expect(setFlags.mock.calls.map(([flag]) => flag)).toEqual(HEAP_FLAGS)
    expect(HEAP_FLAGS).toContain('--no-parallel-scavenge')
  })

  it('leaves each flag the user gave, in either form, and its young-generation siblings, to the user', () => {
    process.execArgv = ['--parallel-scavenge', '--max-semi-space-size=8']
    vi.stubEnv('NODE_OPTIONS', '--heap_growing_percent=50')
    tuneHeap()
    expect(setFlags).not.toHaveBeenCalled()
    process.execArgv = ['--no-parallel-scavenge']
    vi.stubEnv('NODE_OPTIONS', '')
    tuneHeap()
    expect(setFlags.mock.calls.map(([flag]) => flag)).toEqual([
      '--heap-growing-percent=10',
      '--semi-space-growth-factor=1',
    ])
  })
})
