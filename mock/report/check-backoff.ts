import type { JournalEntry } from '../journal/journal-entry.js'
import { resourceOf } from './call-keys.js'
import { cite, count, decide, duration } from './evidence.js'
import type { Call, Check, Evidence } from './report-types.js'
import { honours, networkFault, waitTolerance } from './tolerance.js'

/** Retries allowed after the first failure of a run. */
export const MAX_RETRIES = 5
/** Shortest wait before retrying when the server asked for none, ms (axios-retry's exponential delay starts at 200 ms). */
export const MIN_FIRST_GAP_MS = 200
/** Silence on a resource after which a run is over (a later call starts afresh), ms. */
export const RUN_GAP_MS = 15 * 60_000

/**
 * A failure that calls for backing off: a 5xx, or no usable answer at all (client timeout, reset,
 * truncated or dribbled body, hang), bans aside.
 */
export const isTransientFailure = (e: JournalEntry): boolean =>
  !e.banned &&
  ((e.status !== undefined && e.status >= 500) ||
    e.outcome !== 'answered' ||
    networkFault(e) !== undefined)

/** What a failed call asked the client to wait, ms: its `Retry-After` or `meta.retry_in`. */
const askedOf = (e: JournalEntry): number => Math.max(e.retryAfter ?? 0, e.retryIn ?? 0) * 1000

/** How a failed call ended, for people. */
function failureOf(e: JournalEntry): string {
  const fault = networkFault(e)
  if (fault) return fault.split(' ')[0]!
  if (e.status !== undefined && e.outcome === 'answered') return String(e.status)
  return e.clientClosed ? 'call the client gave up on' : 'call left unanswered'
}

interface Run {
  calls: Call[]
  /** Wait before each retry: arrival minus the previous call's end, sandbox ms. */
  gaps: number[]
}

/** Splits a resource's calls into runs: from a failure, through its retries, to a success or silence. */
function runsOf(calls: Call[]): Run[] {
  const runs: Run[] = []
  let run: Run | undefined
  for (const c of calls) {
    const last = run?.calls.at(-1)
    if (run && last && c.t - last.end <= RUN_GAP_MS && isTransientFailure(last.entry)) {
      run.gaps.push(c.t - last.end)
      run.calls.push(c)
      continue
    }
    run = undefined
    if (isTransientFailure(c.entry)) runs.push((run = { calls: [c], gaps: [] }))
  }
  return runs
}

/**
 * Judges one run. A wait the server asked for (Retry-After, retry_in) is honoured by waiting at least
 * that long, tolerance included, whatever the waits before: equal asked waits are fine. Waits chosen
 * by the client itself (nothing asked) must be at least 200 ms, never shorter than the client's previous
 * own wait, and grow over the run: with two or more, the last is longer than the first by more than
 * timer jitter.
 */
function judgeRun(run: Run): Evidence | undefined {
  const retries = run.calls.length - 1
  if (retries > MAX_RETRIES) {
    return cite(
      run.calls[MAX_RETRIES + 1]!.entry,
      `retry number ${MAX_RETRIES + 1} after a failure: at most ${MAX_RETRIES} are allowed`,
    )
  }
  const own: number[] = []
  for (let i = 0; i < run.gaps.length; i++) {
    const gap = run.gaps[i]!
    const failed = run.calls[i]!.entry
    const retry = run.calls[i + 1]!.entry
    const asked = askedOf(failed)
    if (asked > 0) {
      if (!honours(gap, asked))
        return cite(
          retry,
          `retried ${duration(gap)} after a ${failureOf(failed)} that asked to wait ${duration(asked)}`,
        )
      continue
    }
    if (!honours(gap, MIN_FIRST_GAP_MS))
      return cite(
        retry,
        `retried ${duration(gap)} after a ${failureOf(failed)}: wait at least ${duration(MIN_FIRST_GAP_MS)}`,
      )
    const before = own.at(-1)
    if (before !== undefined && !honours(gap, before))
      return cite(
        retry,
        `waited ${duration(gap)}, less than the ${duration(before)} before: waits must grow`,
      )
    own.push(gap)
  }
  if (own.length >= 2 && own.at(-1)! <= own[0]! + waitTolerance(own[0]!)) {
    return cite(
      run.calls.at(-1)!.entry,
      `${own.length} retries at a constant ${duration(own[0]!)}: waits must grow`,
    )
  }
  return undefined
}

/** Backs off on 5xx and network faults: growing waits between retries of a resource, and few retries. */
export const backoffCheck: Check = {
  id: 'backoff',
  title: 'backs off on 5xx, timeouts and network faults (growing waits, bounded retries)',
  rule:
    'A run starts at a call answered 5xx or left without a usable answer (client timeout, reset, truncated or dribbled ' +
    `body, hang), ban holds aside; each later call for the same resource within ${RUN_GAP_MS / 60_000} min of the previous ` +
    `one's end, while the previous one failed, is a retry. Per run: at most ${MAX_RETRIES} retries. A retry after an ` +
    'answer that asked for a wait (Retry-After, meta.retry_in) waits at least that long, equal waits included. Otherwise ' +
    `the client's own waits are at least ${MIN_FIRST_GAP_MS} ms, never shorter than its previous own wait, and with ` +
    'two or more the last is longer than the first. Waits are measured on the sandbox clock from the end of the failed ' +
    'call; a wait up to 5 % (at most 1 s) short of its bound is tolerated. Not exercised when no call failed so.',
  judge({ calls }) {
    const byResource = new Map<string, Call[]>()
    for (const c of calls) {
      const key = resourceOf(c.entry)
      const list = byResource.get(key)
      if (list) list.push(c)
      else byResource.set(key, [c])
    }
    const runs = [...byResource.values()]
      .flatMap(runsOf)
      .sort((a, b) => a.calls[0]!.t - b.calls[0]!.t)
    const failures: Evidence[] = []
    const passes: Evidence[] = []
    for (const run of runs) {
      const broken = judgeRun(run)
      if (broken) failures.push(broken)
      else {
        const waits = run.gaps.length ? `, waits ${run.gaps.map(duration).join(', ')}` : ''
        passes.push(
          cite(
            run.calls[0]!.entry,
            `${failureOf(run.calls[0]!.entry)} followed by ${count(run.gaps.length, 'retry')}${waits}`,
          ),
        )
      }
    }
    return decide({
      exercised: runs.length > 0,
      failures,
      passes,
      pass: `Backed off correctly in each of ${count(runs.length, 'failure run')}.`,
      fail: `${count(failures.length, 'failure run')} of ${runs.length} retried too soon, too often or without growing waits.`,
      none: 'No call was answered 5xx or left without a usable answer.',
    })
  },
}
