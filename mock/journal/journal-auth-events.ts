import type { AuthEvent, AuthEvents } from '../auth/auth-events.js'
import type { SandboxClock } from '../traffic/clock.js'
import type { Journal } from './journal.js'
import type { NewJournalEntry } from './journal-entry.js'

/**
 * Subscribes the journal to authentication events: each token issued, each client authentication
 * refused, each lockout, revocation and change of a client becomes an entry (never a secret nor a
 * token). Returns the unsubscribe function.
 */
export function journalAuthEvents(
  events: AuthEvents,
  journal: Journal,
  clock: SandboxClock,
): () => void {
  if (!journal.enabled) return () => undefined
  return events.on('*', (event) => {
    const clientId = 'clientId' in event ? event.clientId : undefined
    if (clientId === undefined) {
      journal.record(entryOf(event, event.at))
      return
    }
    // Entries carry the client's sandbox time, as API entries do: token renewals are judged on it.
    void clock.offset(clientId).then(
      (offset) => journal.record(entryOf(event, event.at + offset)),
      () => journal.record(entryOf(event, event.at)),
    )
  })
}

function entryOf(event: AuthEvent, sandboxMs: number): NewJournalEntry {
  const base = {
    at: new Date(event.at).toISOString(),
    sandboxAt: new Date(sandboxMs).toISOString(),
    ip: event.ip ?? 'unknown',
    outcome: 'answered' as const,
    latencyMs: 0,
    bytes: 0,
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
        path: '/oauth/token',
        status: 200,
        jti: event.jti,
        scopes: event.scopes,
        tokenExpiresAt: new Date(event.expiresAt).toISOString(),
        singleUse: event.singleUse,
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
        notes: { until: new Date(event.until).toISOString() },
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
