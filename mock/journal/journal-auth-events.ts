import type { AuthEvent, AuthEvents } from '../auth/auth-events.js'
import type { SandboxClock } from '../clock/clock.js'
import type { Journal } from './journal.js'
import type { NewJournalEntry } from './journal-entry.js'
import { isoTime } from './iso-time.js'
import { guardObserver } from '../observer-guard.js'

/**
 * Subscribes the journal to authentication events: each token issued, each client authentication
 * refused, each lockout, revocation and change of a client becomes an entry (never a secret nor a
 * token). Returns the unsubscribe function.
 */
export function journalAuthEvents(
  events: AuthEvents,
  journal: Journal,
  clock: SandboxClock,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): () => void {
  if (!journal.enabled) return () => undefined
  const guard = guardObserver('journal of auth events', log)
  return events.on('*', (event) => {
    const clientId = 'clientId' in event ? event.clientId : undefined
    if (clientId === undefined) {
      journal.record(entryOf(event, event.at))
      return
    }
    // Entries carry the client's sandbox time, as API entries do: token renewals are judged on it.
    // A token's entry waits for its answer to leave, to record its size. `record` never throws (it
    // guards itself); building the entry is guarded by the caller's guard, or here for the part
    // that runs after the offset is read.
    const sent = event.type === 'token' && event.answerBytes ? event.answerBytes : 0
    void Promise.all([clock.offset(clientId), sent]).then(
      ([offset, bytes]) =>
        guard.run(() => journal.record(entryOf(event, event.at + offset, bytes))),
      () => guard.run(() => journal.record(entryOf(event, event.at))),
    )
  })
}

function entryOf(event: AuthEvent, sandboxMs: number, bytes = 0): NewJournalEntry {
  const base = {
    at: isoTime(event.at),
    sandboxAt: isoTime(sandboxMs),
    ip: event.ip ?? 'unknown',
    outcome: 'answered' as const,
    latencyMs: 0,
    bytes,
    clientClosed: false,
    ...('clientId' in event && event.clientId !== undefined ? { clientId: event.clientId } : {}),
    ...('origin' in event && event.origin !== undefined ? { origin: event.origin } : {}),
  }
  switch (event.type) {
    case 'token':
      return {
        ...base,
        kind: 'token',
        method: 'POST',
        path: event.model
          ? `/__sandbox/clients/${encodeURIComponent(event.clientId)}/tokens`
          : '/oauth/token',
        status: event.model ? 201 : 200,
        jti: event.jti,
        scopes: event.scopes,
        tokenExpiresAt: isoTime(event.expiresAt),
        singleUse: event.singleUse,
        ...(event.model ? { notes: { model: event.model } } : {}),
      }
    case 'failure':
      return { ...base, kind: 'auth-failure', ...endpoint(event.endpoint), code: event.reason }
    case 'lockout':
      return {
        ...base,
        kind: 'auth-event',
        method: '-',
        path: '-',
        code: 'lockout',
        notes: { until: isoTime(event.until) },
      }
    case 'revocation':
      return {
        ...base,
        kind: 'auth-event',
        method: '-',
        path: '-',
        code: `revocation:${event.what}`,
        ...(event.jti ? { jti: event.jti } : {}),
        ...(event.tokens !== undefined ? { notes: { tokens: event.tokens } } : {}),
      }
    case 'client':
      return {
        ...base,
        kind: 'auth-event',
        method: '-',
        path: '-',
        code: `client:${event.action}`,
        notes: { by: event.by },
      }
  }
}

/** An endpoint as auth names it: a path (`/oauth/token`) or a place (`api`, `admin`). */
const endpoint = (name: string): { method: string; path: string } =>
  name.startsWith('/') ? { method: 'POST', path: name } : { method: '-', path: name }
