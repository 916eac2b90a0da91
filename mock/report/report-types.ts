import type { JournalEntry } from '../journal/journal-entry.js'

/** A check's outcome: it held, it did not, or the run never put the client in that situation. */
export type CheckStatus = 'pass' | 'fail' | 'not-exercised'

/** A journal entry cited as evidence, with what it shows. */
export interface Evidence {
  id: string
  /** Sandbox time of arrival, ISO 8601. */
  sandboxAt: string
  method: string
  path: string
  operation?: string
  /** The operation's API, when the sandbox serves several. */
  api?: string
  status?: number
  code?: string
  jti?: string
  /** What this entry shows for the check. */
  note: string
}

/** One check of the verdict. */
export interface CheckResult {
  /** Stable id (`retry-after`, `backoff`...): the JUnit testcase's class name. */
  id: string
  /** The behaviour, as a sentence. */
  title: string
  /** The exact pass / fail rule. */
  rule: string
  status: CheckStatus
  /** What the journal showed, in one sentence. */
  summary: string
  /** The entries that decide it, at most {@link MAX_EVIDENCE}. */
  evidence: Evidence[]
  /** How many entries decided it, when more than are listed. */
  evidenceTotal?: number
}

/** An API call of the client under judgement, with its times on the client's sandbox clock. */
export interface Call {
  entry: JournalEntry
  /** Arrival, sandbox ms. */
  t: number
  /** End: the answer's last byte or the connection's close, sandbox ms. */
  end: number
}

/** Facts about the contract a check needs. */
export interface ContractFacts {
  /** True when the operation declares the traceability parameters. */
  traceable(operationId: string, api?: string): boolean
  /** Longest `object` the operation accepts (its `maxLength`, else 50). */
  objectMaxLength(operationId: string, api?: string): number
  /** True for document operations (PDF, ZIP, `document_url`): 12 s timeout instead of 5 s. */
  isDocument(operationId: string | undefined, rateGroup: string | undefined, api?: string): boolean
  /** True when an operation of the contract declares call-backs (absent: false). */
  callsBack?: boolean
}

/** Everything a check reads. */
export interface JudgeInput {
  clientId: string
  /** The client's API calls, by sandbox time of arrival. */
  calls: Call[]
  /** The client's token issuances, by sandbox time. */
  tokens: JournalEntry[]
  /** Call-back deliveries to the client's receiver, in recording order (none when absent). */
  callbacks?: JournalEntry[]
  contract: ContractFacts
  /** The sandbox's `delayFactor`, for the record: client timeouts are judged on real time, never scaled. */
  timeScale: number
}

/** A check: its identity and its judgement. */
export interface Check {
  id: string
  title: string
  rule: string
  /** False when the check cannot apply to the contract (it is then left out of the report). */
  applies?(contract: ContractFacts): boolean
  judge(input: JudgeInput): Omit<CheckResult, 'id' | 'title' | 'rule'>
}

/** Evidence entries listed per check; the total is given beside. */
export const MAX_EVIDENCE = 10
