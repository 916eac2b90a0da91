import { basename, extname } from 'node:path'
import type { Contract } from '../contract/types.js'

/**
 * The name an API goes by in accounts and the admin surface: the contract's `info.x-sandbox-api`,
 * else its file name without extension.
 */
export function apiName(contract: Contract): string {
  const info = (contract.document.info ?? {}) as Record<string, unknown>
  const given = info['x-sandbox-api']
  if (typeof given === 'string' && /^[\w.-]{1,64}$/.test(given)) return given
  return basename(contract.file, extname(contract.file)).replace(/[^\w.-]/g, '-') || 'api'
}
