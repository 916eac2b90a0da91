import type { JournalEntry } from '../journal/journal-entry.js'

/** The time a receiver has to answer a call-back, ms: the sandbox's default delivery timeout. */
export const CALLBACK_ANSWER_MS = 5000

/** Codes of attempts that reached no receiver through no fault of its own (no URL, host refused, gave up). */
const NOT_SENT = new Set(['no-url', 'host-not-allowed', 'abandoned'])

/** Delivery attempts of one kind that were actually sent to the receiver. */
export function deliveriesOf(
  callbacks: readonly JournalEntry[] | undefined,
  kind: 'event' | 'redelivery' | 'wrong-token',
): JournalEntry[] {
  return (callbacks ?? []).filter((e) => e.notes?.delivery === kind && !NOT_SENT.has(e.code ?? ''))
}
