import { checkSiret } from '../data/identifiers.js'
import type { JournalEntry } from '../journal/journal-entry.js'
import { cite, count, decide } from './evidence.js'
import type { Check, ContractFacts, Evidence } from './report-types.js'

/** What is wrong with a call's traceability parameters; empty when they are valid. */
export function traceabilityFaults(e: JournalEntry, objectMax: number): string[] {
  const faults: string[] = []
  if (!e.context?.trim()) faults.push('context missing')
  if (e.recipient === undefined || e.recipient === '') faults.push('recipient missing')
  else {
    const problem = checkSiret(e.recipient)
    if (problem)
      faults.push(
        `recipient ${e.recipient} is not a SIRET (${problem === 'format' ? '14 digits expected' : 'wrong check digit'})`,
      )
  }
  if (!e.object?.trim()) faults.push('object missing')
  else if ([...e.object].length > objectMax)
    faults.push(`object is ${[...e.object].length} characters long (at most ${objectMax})`)
  return faults
}

/** Sends valid traceability parameters on every call that takes them. */
export const traceabilityCheck: Check = {
  id: 'traceability',
  title: 'sends valid context, recipient and object on every call',
  rule:
    'Every call to an operation that declares the traceability parameters carries a non-blank context, a recipient that ' +
    'is a valid SIRET (14 digits, Luhn key; sum of digits a multiple of 5 for La Poste, 356000000) and a non-blank ' +
    "object of at most 50 characters (the operation's maxLength when it declares one). Fails on any call that does not; " +
    'not exercised when no such operation was called.',
  judge({ calls, contract }: { calls: Array<{ entry: JournalEntry }>; contract: ContractFacts }) {
    const failures: Evidence[] = []
    let checked = 0
    let first: JournalEntry | undefined
    for (const { entry } of calls) {
      if (!entry.operation || !contract.traceable(entry.operation, entry.api)) continue
      checked++
      first ??= entry
      const faults = traceabilityFaults(entry, contract.objectMaxLength(entry.operation, entry.api))
      if (faults.length > 0) failures.push(cite(entry, faults.join('; ')))
    }
    return decide({
      exercised: checked > 0,
      failures,
      passes: first
        ? [
            cite(
              first,
              `first of ${count(checked, 'call')}, all with valid context, recipient and object`,
            ),
          ]
        : [],
      pass: `All ${count(checked, 'call')} carried valid context, recipient and object.`,
      fail: `${count(failures.length, 'call')} of ${checked} lacked or had invalid traceability parameters.`,
      none: 'No operation that takes the traceability parameters was called.',
    })
  },
}
