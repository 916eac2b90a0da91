import type { JournalEntry } from '../journal/journal-entry.js'
import type { Call } from './report-types.js'

/** What the client received from one operation. */
export interface OperationUse {
  operation: string
  calls: number
  /** Privileges the operation requires, any one being enough. */
  privileges: string[]
  /** Of those, the ones the client's credentials carried on its authorised calls. */
  privilegesUsed: string[]
  /** Fields delivered (dotted paths, array items as `[]`). */
  fields: string[]
  /** `journal`: recorded on the answers (operations with scoped fields); `contract`: every field its schema declares. */
  fieldsFrom: 'journal' | 'contract'
  /** Fields withheld because the token lacked their scope. */
  withheld: string[]
  /** The same fields with the scopes that would have shown them: `path=scope1|scope2`. */
  withheldBy: string[]
  /** Scopes that let at least one delivered field through. */
  fieldScopes: string[]
}

/** The report's minimisation section. */
export interface Minimisation {
  operations: OperationUse[]
  /** Every privilege the client's credentials carried during the run. */
  carried: string[]
  /** Privileges that authorised a call or unlocked a delivered field. */
  needed: string[]
  /** The smallest set that would have served every call as served: one privilege per operation, plus the field scopes used. */
  smallest: string[]
  /** Carried but never needed: what least privilege would drop. */
  unused: string[]
}

const sorted = (set: Iterable<string>): string[] => [...new Set(set)].sort()

/**
 * Works out, from the client's calls and tokens, which privileges it needed and which fields it got.
 * `declaredFields` lists an operation's fields from the contract, for operations whose answers carry
 * no recorded field list.
 */
export function minimise(
  calls: Call[],
  tokens: JournalEntry[],
  declaredFields: (operationId: string) => string[],
): Minimisation {
  const carried = new Set<string>()
  for (const e of tokens) for (const s of e.scopes ?? []) carried.add(s)
  const byOp = new Map<
    string,
    {
      calls: number
      privileges: Set<string>
      used: Set<string>
      fields: Set<string>
      recorded: boolean
      withheld: Set<string>
      withheldBy: Set<string>
      scopes: Set<string>
    }
  >()
  for (const { entry: e } of calls) {
    if (!e.operation) continue
    for (const s of e.scopes ?? []) carried.add(s)
    // Beside other APIs, an operation is named with its API: ids are unique within one API only.
    const key = e.api === undefined ? e.operation : `${e.api}/${e.operation}`
    let use = byOp.get(key)
    if (!use) {
      use = {
        calls: 0,
        privileges: new Set(),
        used: new Set(),
        fields: new Set(),
        recorded: false,
        withheld: new Set(),
        withheldBy: new Set(),
        scopes: new Set(),
      }
      byOp.set(key, use)
    }
    use.calls++
    for (const p of e.privileges ?? []) use.privileges.add(p)
    // Scopes are journaled only for calls that passed authentication and the privilege check.
    for (const p of e.privileges ?? []) if (e.scopes?.includes(p)) use.used.add(p)
    if (e.fields) {
      use.recorded = true
      for (const f of e.fields) use.fields.add(f)
    }
    for (const f of e.withheld ?? []) use.withheld.add(f)
    const by = e.notes?.withheldBy
    if (Array.isArray(by)) for (const f of by) if (typeof f === 'string') use.withheldBy.add(f)
    for (const s of e.fieldScopes ?? []) use.scopes.add(s)
  }
  const operations: OperationUse[] = [...byOp]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, u]) => ({
      operation,
      calls: u.calls,
      privileges: sorted(u.privileges),
      privilegesUsed: sorted(u.used),
      fields: u.recorded ? sorted(u.fields) : declaredFields(operation),
      fieldsFrom: u.recorded ? 'journal' : 'contract',
      withheld: sorted(u.withheld),
      withheldBy: sorted(u.withheldBy),
      fieldScopes: sorted(u.scopes),
    }))
  const fieldScopes = operations.flatMap((o) => o.fieldScopes)
  const needed = sorted([...operations.flatMap((o) => o.privilegesUsed), ...fieldScopes])
  const smallest = sorted([
    ...cover(operations.filter((o) => o.privilegesUsed.length > 0).map((o) => o.privilegesUsed)),
    ...fieldScopes,
  ])
  return {
    operations,
    carried: sorted(carried),
    needed,
    smallest,
    unused: sorted([...carried].filter((p) => !needed.includes(p))),
  }
}

/** A small set meeting every requirement (each a list of privileges, any one enough): greedy set cover. */
function cover(requirements: string[][]): string[] {
  const chosen: string[] = []
  let open = requirements.filter((r) => r.length > 0)
  while (open.length > 0) {
    const tally = new Map<string, number>()
    for (const r of open) for (const p of r) tally.set(p, (tally.get(p) ?? 0) + 1)
    const [best] = [...tally].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]!
    chosen.push(best)
    open = open.filter((r) => !r.includes(best))
  }
  return chosen
}
