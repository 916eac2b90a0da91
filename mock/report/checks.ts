import { backoffCheck } from './check-backoff.js'
import { banCheck } from './check-ban.js'
import { callbackAnswersCheck } from './check-callback-answers.js'
import { callbackIdempotentCheck } from './check-callback-idempotent.js'
import { callbackTokenCheck } from './check-callback-token.js'
import { deprecatedCheck } from './check-deprecated.js'
import { leastPrivilegeCheck } from './check-least-privilege.js'
import { noBrowserCheck } from './check-no-browser.js'
import { retryAfterCheck } from './check-retry-after.js'
import { retryInCheck } from './check-retry-in.js'
import { singleUseCheck } from './check-single-use.js'
import { timeoutsCheck } from './check-timeouts.js'
import { tokenExpiryCheck } from './check-token-expiry.js'
import { tokenReuseCheck } from './check-token-reuse.js'
import { traceabilityCheck } from './check-traceability.js'
import type { Check } from './report-types.js'

/** Every check of the verdict, in the order the report lists them (docs/verdict.md describes each). */
export const CHECKS: readonly Check[] = [
  retryAfterCheck,
  retryInCheck,
  backoffCheck,
  banCheck,
  tokenReuseCheck,
  tokenExpiryCheck,
  singleUseCheck,
  traceabilityCheck,
  timeoutsCheck,
  noBrowserCheck,
  leastPrivilegeCheck,
  callbackAnswersCheck,
  callbackIdempotentCheck,
  callbackTokenCheck,
  deprecatedCheck,
]
