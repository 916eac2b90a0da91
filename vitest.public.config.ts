import { defineConfig } from 'vitest/config'

// Acceptance over real public contracts, kept out of `npm test`: they are not in the repository.
// Run with SANDBOX_PUBLIC_CONTRACTS=/path/to/folder npm run test:public
export default defineConfig({
  test: {
    include: ['test/public-contracts/*.acceptance.ts'],
    testTimeout: 600_000,
    pool: 'forks',
  },
})
