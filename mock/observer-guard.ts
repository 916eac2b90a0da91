/**
 * Code that watches requests rather than answers them (the journal's entry builder, its diagnostics
 * channel subscriber, auth event listeners, store listeners) must never take the process down: a throw
 * there would otherwise reach `uncaughtException` and end every client's session. A guard runs such
 * code, logs its first failure with the stack, counts the next ones, and says how many at most once a
 * minute, so a failure repeated on every request neither kills the process nor floods the log.
 */
export interface ObserverGuard {
  /** Runs `fn`; a throw is caught, logged once and counted. Resolves `undefined` then. */
  run<T>(fn: () => T): T | undefined
  /** Reports a failure caught elsewhere (a rejected promise of the observer). */
  fail(err: unknown): void
  /** Failures so far. */
  readonly failures: number
}

/** Least time between two "still failing" lines of one observer, ms. */
const REPEAT_EVERY = 60_000

/** Failures of every guard of the process, by observer name (for the health endpoint). */
const counts = new Map<string, number>()

/** Observer failures so far, by observer name; empty when none ever failed. */
export function observerFailures(): Record<string, number> {
  return Object.fromEntries(counts)
}

/** A guard for the observer called `name`; `log` receives its lines, `now` is real time (ms). */
export function guardObserver(
  name: string,
  log: (line: string) => void,
  now: () => number = Date.now,
): ObserverGuard {
  let failures = 0
  let reportedAt = -Infinity
  let reported = 0
  const fail = (err: unknown): void => {
    failures++
    counts.set(name, (counts.get(name) ?? 0) + 1)
    try {
      if (failures === 1) {
        const text = err instanceof Error ? (err.stack ?? err.message) : String(err)
        log(
          `error: ${name} failed (the request itself was not affected; later failures are counted): ${text}`,
        )
        reportedAt = now()
        reported = 1
      } else if (now() - reportedAt >= REPEAT_EVERY) {
        log(`error: ${name} failed ${failures - reported} more time(s) (${failures} in all)`)
        reportedAt = now()
        reported = failures
      }
    } catch {
      // A log that throws has nowhere else to go: the count stays.
    }
  }
  return {
    run: <T>(fn: () => T): T | undefined => {
      try {
        return fn()
      } catch (err) {
        fail(err)
        return undefined
      }
    },
    fail,
    get failures() {
      return failures
    },
  }
}
