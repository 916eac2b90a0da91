/**
 * Key layout of the Redis store. Every key starts with the store's `keyPrefix` (default empty), then:
 *
 * | key                          | type       | holds                                          |
 * | ---------------------------- | ---------- | ---------------------------------------------- |
 * | `st:<owner>:<ns>:<key>`      | string     | a value, as JSON (`~` first: default TTL)      |
 * | `si:<owner>:<ns>`            | sorted set | the namespace's value keys, scored by expiry   |
 * | `so:<owner>`                 | set        | the owner's namespace indexes and streams      |
 * | `sx:<owner>:<name>`          | stream     | an append-only log (see `redis-stream.ts`)     |
 *
 * `<owner>` is `_` for the global scope and `c:<clientId>` for a client. Client ids and namespaces have
 * `%` and `:` percent-escaped, so `scope('a:b')` and `scope('a')` with namespace `b:...` never collide;
 * the last part (key, stream name) needs no escaping.
 */
export interface RedisKeys {
  /** The owner part: `_` or `c:<escaped clientId>`. */
  readonly owner: string
  /** Key of one value. */
  value(ns: string, key: string): string
  /** What every value key of a namespace starts with (strip it to get the store key back). */
  valuePrefix(ns: string): string
  /** The namespace index (sorted set). */
  nsIndex(ns: string): string
  /** The owner index (set of namespace indexes and streams). */
  readonly ownerIndex: string
  /** Key of a stream. */
  stream(name: string): string
}

const escapePart = (part: string): string => part.replace(/%/g, '%25').replace(/:/g, '%3A')

/** The owner part of a scope: `_` for global, `c:<clientId>` for a client. */
export const ownerOf = (clientId?: string): string =>
  clientId === undefined ? '_' : `c:${escapePart(clientId)}`

/** Builds the key layout of one owner (`clientId` undefined: the global scope). */
export function redisKeys(keyPrefix: string, clientId?: string): RedisKeys {
  const owner = ownerOf(clientId)
  const valuePrefix = (ns: string): string => `${keyPrefix}st:${owner}:${escapePart(ns)}:`
  return {
    owner,
    value: (ns, key) => valuePrefix(ns) + key,
    valuePrefix,
    nsIndex: (ns) => `${keyPrefix}si:${owner}:${escapePart(ns)}`,
    ownerIndex: `${keyPrefix}so:${owner}`,
    stream: (name) => `${keyPrefix}sx:${owner}:${name}`,
  }
}
