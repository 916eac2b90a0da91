import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // A condition polled until it holds: passing waits no longer than it takes, so the bound is there
    // for a loaded machine, not for speed (vitest's own default is 1 s).
    expect: { poll: { timeout: 15_000 } },
  },
})
