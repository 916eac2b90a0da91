import { certificationBanPolicy } from '../certification/run-state.js'
import { createHash } from 'node:crypto'
import type { Operation } from '../contract/types.js'
import type { Exchange } from '../http/exchange.js'
import type { ResolvedOptions } from '../options.js'
import type { Store } from '../store/store.js'
import { createBanBook, type BanBook, type BanReason, type BanRecord } from './bans.js'
import type { SandboxClock } from '../clock/clock.js'
import { createConnectionHolder, type ConnectionHolder } from './hold-connection.js'
import {
  compileRateTable,
  groupOf,
  isRateTableFault,
  type RateGroup,
  type RateTable,
  type RateTableFault,
} from './rate-table.js'

/** Client id under which requests without an identity (`auth: false`) are counted. */
export const ANONYMOUS_CLIENT = '-anonymous'

/** What a client may see of its own traffic state (`GET /__sandbox/me`, `GET /__sandbox/bans`). */
export interface TrafficStatus {
  bans: Array<{ ip: string; reason: BanReason; detail: string; since: string; until: string }>
  clock: { offset_seconds: number; now: string }
  rate_limits:
    | 'off'
    | {
        source: string
        window_seconds: number
        per_ip: number | null
        groups: Array<{ name: string; limit: number }>
      }
}

/** Traffic rules as a service on the context: tables, bans, held connections, 429 periods. */
export interface TrafficService {
  /** The sandbox's own table; `undefined` when started with `rateLimits: 'off'`. */
  readonly table: RateTable | undefined
  readonly bans: BanBook
  readonly holder: ConnectionHolder
  /** A client's table: its own `rate_limits` over the sandbox's, else the sandbox's; `undefined`: no limits. */
  tableOf(clientId: string): Promise<RateTable | undefined>
  /** Rate group of an operation, under a client's table (default: the sandbox's). */
  groupOf(op: Operation, clientId?: string): Promise<RateGroup | undefined>
  /** Checks a client's `rate_limits` (a partial table or `'off'`) without storing it. */
  checkClientTable(input: unknown): RateTableFault | undefined
  /**
   * Stores a client's own table: a partial table merged over the sandbox's, `'off'` (no limits for
   * this client), or `undefined` (back to the sandbox's). Returns the fault instead when it is invalid.
   */
  setClientTable(clientId: string, input: unknown): Promise<RateTableFault | undefined>
  /** Bans a client's traffic from an IP from sandbox time `nowMs`, for `durationMs` (default: the table's ban). */
  ban(
    clientId: string,
    ip: string,
    reason: BanReason,
    detail: string,
    nowMs: number,
    durationMs?: number,
  ): Promise<BanRecord>
  /** Holds a banned client's connection: no status line, no byte, until it gives up or the cap. */
  holdForBan(ex: Exchange, ban: BanRecord): void
  /** Bans a client from the exchange's IP from sandbox time `nowMs`, then holds this very connection. */
  banAndHold(
    ex: Exchange,
    clientId: string,
    reason: BanReason,
    detail: string,
    nowMs: number,
    durationMs?: number,
  ): Promise<void>
  /**
   * Lifts a client's ban from one IP, or all its bans, and gives it fresh rate-limit periods: a
   * lifted client would otherwise be banned again by its next call in the spent period. Returns how
   * many bans were lifted.
   */
  lift(clientId: string, ip?: string): Promise<number>
  /** Starts a 429 period for a client's group, ending at sandbox time `untilMs` (the 429 effect). */
  throttle(
    clientId: string,
    group: string,
    nowMs: number,
    untilMs: number,
    scenario?: string,
  ): Promise<void>
  /** End (sandbox ms) of a running 429 period of a client's group, if any. */
  throttledUntil(clientId: string, group: string, nowMs: number): Promise<number | undefined>
  /** Name of the scenario that started the running 429 period of a client's group, if any. */
  throttledBy(clientId: string, group: string): Promise<string | undefined>
  /** The client's bans, clock and limits, for the client itself. */
  describe(clientId: string): Promise<TrafficStatus>
  /**
   * True when the store can tell at once that no client has its own table, a 429 period or a ban on
   * record: every client is under the sandbox's table as it is, and nobody is held.
   */
  quiet(): boolean
}

const OWN = 'traffic'
type StoredTable = { hash: string; input: unknown }

/**
 * Builds the traffic service. `table` is the loaded sandbox table (`undefined`: off). With several
 * APIs, each has its own service over its own table; `shared` gives them the main one's bans and held
 * connections, and every API's table, whose periods a lift resets together.
 */
export function createTrafficService(
  options: ResolvedOptions,
  store: Store,
  clock: SandboxClock,
  table: RateTable | undefined,
  shared?: {
    bans: BanBook
    holder: ConnectionHolder
    tables: () => ReadonlyArray<RateTable | undefined>
  },
): TrafficService {
  const bans = shared?.bans ?? createBanBook(store)
  const holder =
    shared?.holder ??
    createConnectionHolder({
      holdForMs: options.ban.holdFor * 1000,
      maxHeld: options.ban.maxHeld,
    })
  const compiled = new Map<string, RateTable | undefined>()
  const compile = (input: unknown, source: string): RateTable | RateTableFault | undefined =>
    input === 'off' ? undefined : compileRateTable(input, source, table)

  const tableOf = async (clientId: string): Promise<RateTable | undefined> => {
    const own = await store.scope(clientId).get<StoredTable>(OWN, 'table')
    if (!own) return table
    if (!compiled.has(own.hash)) {
      const t = compile(own.input, `client ${clientId}`)
      // `off` compiles to no table at all: no limit for that client.
      compiled.set(own.hash, t === undefined ? undefined : isRateTableFault(t) ? table : t)
    }
    return compiled.get(own.hash)
  }
  const banMs = (t: RateTable | undefined): number => t?.banMs ?? options.ban.duration * 1000
  const holdForBan = (ex: Exchange, ban: BanRecord): void => {
    ex.notes.ban = { reason: ban.reason, until: new Date(ban.until).toISOString() }
    holder.hold(ex, `banned until ${new Date(ban.until).toISOString()} (${ban.reason})`, ban.holdMs)
  }

  return {
    table,
    bans,
    holder,
    tableOf,
    quiet: () => store.holdsAny?.(OWN) === false && bans.noneOnRecord(),
    groupOf: async (op, clientId) => {
      const t = clientId === undefined ? table : await tableOf(clientId)
      return t && groupOf(t, op)
    },
    checkClientTable(input) {
      const t = compile(input, 'client')
      return t && isRateTableFault(t) ? t : undefined
    },
    async setClientTable(clientId, input) {
      if (input === undefined || input === null) {
        await store.scope(clientId).delete(OWN, 'table')
        return undefined
      }
      const fault = this.checkClientTable(input)
      if (fault) return fault
      const hash = createHash('sha256').update(JSON.stringify(input)).digest('base64url')
      await store.scope(clientId).set<StoredTable>(OWN, 'table', { hash, input })
      return undefined
    },
    async ban(clientId, ip, reason, detail, nowMs, durationMs) {
      let until = nowMs + (durationMs ?? banMs(await tableOf(clientId)))
      // A certification run's ban ends with its step's window, so that the next step is played.
      const policy = await certificationBanPolicy(store, clientId, nowMs)
      if (policy) until = Math.min(until, Math.max(nowMs, policy.untilMax))
      options.log(
        `ban: client ${clientId} from ${ip} until ${new Date(until).toISOString()} (${reason})`,
      )
      return bans.place({
        clientId,
        ip,
        reason,
        detail,
        since: nowMs,
        until,
        ...(policy ? { holdMs: policy.holdMs } : {}),
      })
    },
    holdForBan,
    async banAndHold(ex, clientId, reason, detail, nowMs, durationMs) {
      holdForBan(ex, await this.ban(clientId, ex.ip, reason, detail, nowMs, durationMs))
    },
    async lift(clientId, ip) {
      const ips =
        ip !== undefined
          ? [ip]
          : (await bans.list(() => clock.now(clientId), clientId)).map((b) => b.ip)
      const lifted = await bans.lift(clientId, ip)
      const scope = store.scope(clientId)
      for (const one of ips) await scope.delete('rate-ip', one)
      const names = new Set<string>()
      for (const t of [await tableOf(clientId), ...(shared?.tables() ?? [])])
        for (const g of t?.groups.values() ?? []) names.add(g.name)
      for (const group of names) {
        await scope.delete('rate', group)
        await scope.delete(OWN, `throttle:${group}`)
        await scope.delete(OWN, `throttle-by:${group}`)
      }
      return lifted
    },
    async throttle(clientId, group, nowMs, untilMs, scenario) {
      const scope = store.scope(clientId)
      const ttl = Math.max(1, untilMs - nowMs)
      if (scenario) await scope.set(OWN, `throttle-by:${group}`, scenario, ttl)
      else await scope.delete(OWN, `throttle-by:${group}`)
      await scope.set(OWN, `throttle:${group}`, untilMs, ttl)
    },
    throttledBy: (clientId, group) =>
      store.scope(clientId).get<string>(OWN, `throttle-by:${group}`),
    async throttledUntil(clientId, group, nowMs) {
      const until = await store.scope(clientId).get<number>(OWN, `throttle:${group}`)
      return until !== undefined && until > nowMs ? until : undefined
    },
    async describe(clientId) {
      const reading = await clock.read(clientId)
      const t = await tableOf(clientId)
      const iso = (ms: number): string => new Date(ms).toISOString()
      return {
        bans: (await bans.list(() => Promise.resolve(reading.now), clientId)).map((b) => ({
          ip: b.ip,
          reason: b.reason,
          detail: b.detail,
          since: iso(b.since),
          until: iso(b.until),
        })),
        clock: { offset_seconds: Math.round(reading.offset / 1000), now: iso(reading.now) },
        rate_limits: t
          ? {
              source: t.source,
              window_seconds: t.windowMs / 1000,
              per_ip: t.perIp ?? null,
              groups: [...t.groups.values()].map((g) => ({ name: g.name, limit: g.limit })),
            }
          : 'off',
      }
    },
  }
}
