import type { JournalEntry } from '../journal/journal-entry.js'
import { resourceOf } from './call-keys.js'
import { cite, count, decide, duration } from './evidence.js'
import type { Call, Check, Evidence } from './report-types.js'

/** Retries allowed after the first failure of a run. */
export const MAX_RETRIES = 5
/** Shortest first wait before retrying, ms. */
export const MIN_FIRST_GAP_MS = 1000
/** Silence on a resource after which a run is over (a later call starts afresh), ms. */
export const RUN_GAP_MS = 15 * 60_000

/** A failure that calls for backing off: 503, 504, or no answer at all (timeout, reset), bans aside. */
export const isTransientFailure = (e: JournalEntry): boolean =>
  !e.banned &&
  (e.status === 503 || e.status === 504 || (e.status === undefined && e.outcome !== 'answered'))

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

function judgeRun(run: Run): Evidence | undefined {
  const retries = run.calls.length - 1
  if (retries > MAX_RETRIES) {
    return cite(
      run.calls[MAX_RETRIES + 1]!.entry,
      `retry number ${MAX_RETRIES + 1} after a failure: at most ${MAX_RETRIES} are allowed`,
    )
  }
  for (let i = 0; i < run.gaps.length; i++) {
    const gap = run.gaps[i]!
    const failed = run.calls[i]!.entry
    const retry = run.calls[i + 1]!.entry
    const asked = (failed.retryAfter ?? 0) * 1000
    if (i === 0 && gap < Math.max(MIN_FIRST_GAP_MS, asked)) {
      return cite(
        retry,
        `retried ${duration(gap)} after a ${failed.status ?? 'call left unanswered'}: wait at least ${duration(Math.max(MIN_FIRST_GAP_MS, asked))}`,
      )
    }
    if (gap < asked)
      return cite(
        retry,
        `retried ${duration(gap)} after a ${failed.status} whose Retry-After was ${failed.retryAfter} s`,
      )
    if (i > 0 && gap < run.gaps[i - 1]!) {
      return cite(
        retry,
        `waited ${duration(gap)}, less than the ${duration(run.gaps[i - 1]!)} before: gaps must grow`,
      )
    }
  }
  if (run.gaps.length >= 2 && run.gaps.at(-1)! <= run.gaps[0]!) {
    return cite(
      run.calls.at(-1)!.entry,
      `${run.gaps.length} retries at a constant ${duration(run.gaps[0]!)}: gaps must grow`,
    )
  }
  return undefined
}

/** Backs off on 503, 504 and timeouts: growing waits between retries of a resource, and few retries. */
export const backoffCheck: Check = {
  id: 'backoff',
  title: 'backs off on 503/504 and timeouts (growing gaps, bounded retries)',
  rule:
    'A run starts at a call answered 503 or 504, or left without answer (client timeout, reset), ban holds aside; each ' +
    `later call for the same resource within ${RUN_GAP_MS / 60_000} min of the previous one's end, while the previous one failed, is a retry. ` +
    `Per run: at most ${MAX_RETRIES} retries; the first retry waits at least ${MIN_FIRST_GAP_MS / 1000} s and at least ` +
    'any Retry-After; each wait is at least as long as the one before; with two retries or more, the last wait is longer ' +
    'than the first (waits measured on the sandbox clock from the end of the failed call). Not exercised when no call failed so.',
  judge({ calls }) {
    const byResource = new Map<string, Call[]>()
    for (const c of calls) {
      const key = resourceOf(c.entry)
      byResource.set(key, [...(byResource.get(key) ?? []), c])
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
            `failure followed by ${count(run.gaps.length, 'retry')}${waits}`,
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
      none: 'No call was answered 503 or 504, or left unanswered.',
    })
  },
}
