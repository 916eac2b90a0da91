import type { ValidateFunction } from 'ajv'
import { ajvLib } from '../contract/ajv-lib.js'
import type { Operation } from '../contract/types.js'
import { parseDuration } from '../clock/clock.js'
import { RATE_TABLE_SCHEMA } from './rate-table-schema.js'

/** One counter's rule: every operation of the group draws on the same counter per client and period. */
export interface RateGroup {
  name: string
  /** Calls per period. */
  limit: number
  description?: string
}

/** A rate-limit table after checking, ready for the `limitRate` stage. */
export interface RateTable {
  /** Where it came from (a file path, `client <id>`), for messages. */
  readonly source: string
  /** Length of a period, ms. Default `60_000`. */
  readonly windowMs: number
  /** Calls per IP and period, all groups together; `undefined`: no per-IP limit. */
  readonly perIp?: number
  /** Ban duration, ms; `undefined`: the `ban.duration` option. */
  readonly banMs?: number
  /** Group of an operation that neither its extension nor `operations` names. */
  readonly defaultGroup?: string
  readonly groups: ReadonlyMap<string, RateGroup>
  /** operationId → group name. */
  readonly operations: ReadonlyMap<string, string>
}

/** A table as written in YAML or JSON (see `fixtures/rate-limits.yaml` for the format). */
export interface RateTableInput {
  window?: string | number
  per_ip?: number
  ban?: string | number
  default_group?: string
  groups?: Record<string, number | { limit: number; description?: string }>
  operations?: Record<string, string>
}

/** A fault in a table: where (JSON pointer) and why. */
export interface RateTableFault {
  pointer: string
  message: string
}

// A schema of ours, checked against the meta-schema by its tests: not again at every start-up.
// Compiled on first use: a table read from the start-up cache was checked when it was cached.
let compiled: ValidateFunction | undefined
const check = (input: unknown): ValidateFunction => {
  compiled ??= new (ajvLib().Ajv)({
    strict: false,
    allErrors: false,
    validateSchema: false,
  }).compile(RATE_TABLE_SCHEMA)
  compiled(input)
  return compiled
}

/** An empty base: one-minute periods, no limit at all. */
export const EMPTY_TABLE: RateTable = {
  source: 'none',
  windowMs: 60_000,
  groups: new Map(),
  operations: new Map(),
}

/**
 * Checks a table against the schema and its own references, and merges it over `base` (a client's
 * `rate_limits` over the sandbox's table). Returns the table, or the first fault found. `checked`:
 * the input passed the schema before (it comes from the start-up cache).
 */
export function compileRateTable(
  input: unknown,
  source: string,
  base: RateTable = EMPTY_TABLE,
  checked = false,
): RateTable | RateTableFault {
  const errors = checked ? null : check(input).errors
  if (errors) {
    // A failed oneOf says more than its first branch's complaint.
    const e = errors.find((x) => x.keyword === 'oneOf') ?? errors[0]!
    const pointer = e.instancePath || '/'
    if (e.keyword === 'oneOf') {
      const what = /^\/(window|ban)$/.test(pointer)
        ? 'must be whole seconds or a duration such as "60s", "1m", "12h"'
        : 'must be a limit (a whole number >= 0) or { limit, description }'
      return { pointer, message: what }
    }
    const extra =
      e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : ''
    return { pointer, message: `${e.message ?? 'is invalid'}${extra}` }
  }
  const t = input as RateTableInput
  const groups = new Map(base.groups)
  for (const [name, g] of Object.entries(t.groups ?? {})) {
    groups.set(name, typeof g === 'number' ? { name, limit: g } : { name, ...g })
  }
  const operations = new Map(base.operations)
  for (const [id, group] of Object.entries(t.operations ?? {})) {
    if (!groups.has(group))
      return {
        pointer: `/operations/${id}`,
        message: `names group "${group}", which groups does not define`,
      }
    operations.set(id, group)
  }
  const defaultGroup = t.default_group ?? base.defaultGroup
  if (defaultGroup !== undefined && !groups.has(defaultGroup)) {
    return {
      pointer: '/default_group',
      message: `names group "${defaultGroup}", which groups does not define`,
    }
  }
  const perIp = t.per_ip ?? base.perIp
  const banMs = t.ban !== undefined ? parseDuration(t.ban) : base.banMs
  return {
    source,
    windowMs: t.window !== undefined ? parseDuration(t.window)! : base.windowMs,
    ...(perIp !== undefined ? { perIp } : {}),
    ...(banMs !== undefined ? { banMs } : {}),
    ...(defaultGroup !== undefined ? { defaultGroup } : {}),
    groups,
    operations,
  }
}

/**
 * The table of an API served beside the main one: the same rules, but its groups count apart (their
 * counters are named `<api>/<group>`), so that two APIs' `json` groups never share a period.
 */
export function qualifyGroups(table: RateTable, api: string): RateTable {
  const groups = new Map<string, RateGroup>()
  for (const [key, g] of table.groups) groups.set(key, { ...g, name: `${api}/${g.name}` })
  return { ...table, groups }
}

export const isRateTableFault = (v: RateTable | RateTableFault): v is RateTableFault =>
  'pointer' in v

const resolved = new WeakMap<RateTable, Map<string, RateGroup | undefined>>()

/**
 * The group of an operation under a table: the operation's `x-sandbox-rate-limit` extension when the
 * table defines that group, else the table's `operations` entry, else its default group. `undefined`:
 * the operation is not limited by this table.
 */
export function groupOf(table: RateTable, op: Operation): RateGroup | undefined {
  let memo = resolved.get(table)
  if (!memo) resolved.set(table, (memo = new Map()))
  if (memo.has(op.id)) return memo.get(op.id)
  const ext = rateExtension(op)
  const name =
    (ext && table.groups.has(ext) ? ext : undefined) ??
    table.operations.get(op.id) ??
    table.defaultGroup
  const group = name === undefined ? undefined : table.groups.get(name)
  memo.set(op.id, group)
  return group
}

/** The group an operation's `x-sandbox-rate-limit` names (a string, or `{ group }`). */
export function rateExtension(op: Operation): string | undefined {
  const ext = op.extensions['x-sandbox-rate-limit']
  if (typeof ext === 'string') return ext
  const group = (ext as { group?: unknown } | null | undefined)?.group
  return typeof group === 'string' ? group : undefined
}
