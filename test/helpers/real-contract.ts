import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

/**
 * Path of the real production contract (API Entreprise), read in place from `../shared/contracts/`
 * or from `SANDBOX_REAL_CONTRACT` (set by `.ci/run`). Tests that need it fail loudly when it is absent.
 */
export function realContractPath(): string {
  const candidates = [
    process.env.SANDBOX_REAL_CONTRACT,
    resolve(import.meta.dirname, '../../../shared/contracts/api_entreprise.yaml'),
  ]
  const found = candidates.find((p): p is string => !!p && existsSync(p))
  if (!found) {
    throw new Error(
      'The real contract api_entreprise.yaml is missing: set SANDBOX_REAL_CONTRACT or keep ../shared beside the repository (.ci/run does).',
    )
  }
  return found
}
