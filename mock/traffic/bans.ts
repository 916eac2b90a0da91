import type { Store } from '../store/store.js'

/** Why a client was banned from an IP. */
export type BanReason = 'ignored-429' | 'ip-limit' | 'scenario'

/** A ban of one client's traffic from one IP. Times are the client's sandbox-clock ms. */
export interface BanRecord {
  clientId: string
  ip: string
  reason: BanReason
  /** What the client did, in a sentence. */
  detail: string
  since: number
  until: number
  /** How long each held call is kept before the sandbox drops it, ms, when shorter than `ban.holdFor`. */
  holdMs?: number
}

/** Bans, kept in each client's scope of the store, with a global index for the admin's listing. */
export interface BanBook {
  /**
   * The ban of a client from an IP that is still running, if any. `now` gives the client's sandbox
   * time (ms); it is only called when a ban is on record, so the common case costs one read.
   */
  active(
    clientId: string,
    ip: string,
    now: () => number | Promise<number>,
  ): Promise<BanRecord | undefined>
  place(ban: BanRecord): Promise<BanRecord>
  /**
   * Running bans of one client, or of every client; `nowOf` gives each client's sandbox time. What
   * it lists is durable: a ban is placed in memory before its line is synced, so the listing waits
   * for the store's pending writes, and a ban seen here survives a kill.
   */
  list(nowOf: (clientId: string) => Promise<number>, clientId?: string): Promise<BanRecord[]>
  /** Lifts a client's ban from one IP, or all its bans. Returns how many were lifted. */
  lift(clientId: string, ip?: string): Promise<number>
  /** True when the store can tell at once that no client has a ban on record (see `Store.holdsAny`). */
  noneOnRecord(): boolean
}

const NS = 'ban'
const INDEX = 'ban-index'
const SEP = '\u0001'

/** Creates the ban book over a store. */
export function createBanBook(store: Store): BanBook {
  const active: BanBook['active'] = async (clientId, ip, now) => {
    const ban = await store.scope(clientId).get<BanRecord>(NS, ip)
    return ban && ban.until > (await now()) ? ban : undefined
  }
  return {
    active,
    noneOnRecord: () => store.holdsAny?.(NS) === false,
    async place(ban) {
      // The clock only moves forward, so the ban's length in real time bounds its life in the store.
      const ttl = Math.max(1, ban.until - ban.since)
      await store.scope(ban.clientId).set(NS, ban.ip, ban, ttl)
      await store.global.set(
        INDEX,
        `${ban.clientId}${SEP}${ban.ip}`,
        { clientId: ban.clientId, ip: ban.ip },
        ttl,
      )
      return ban
    },
    async list(nowOf, clientId) {
      await store.flush()
      const keys = clientId
        ? (await store.scope(clientId).entries<BanRecord>(NS)).map(([ip]) => ({ clientId, ip }))
        : (await store.global.entries<{ clientId: string; ip: string }>(INDEX)).map(([, v]) => v)
      const out: BanRecord[] = []
      for (const k of keys) {
        const ban = await active(k.clientId, k.ip, () => nowOf(k.clientId))
        if (ban) out.push(ban)
      }
      return out.sort((a, b) => a.since - b.since)
    },
    async lift(clientId, ip) {
      const scope = store.scope(clientId)
      const ips = ip !== undefined ? [ip] : (await scope.entries<BanRecord>(NS)).map(([k]) => k)
      let lifted = 0
      for (const one of ips) {
        if (await scope.delete(NS, one)) lifted++
        await store.global.delete(INDEX, `${clientId}${SEP}${one}`)
      }
      return lifted
    },
  }
}
