import { LRUCache } from 'lru-cache'

/**
 * An LRU cache made on its first use. lru-cache allocates its whole capacity when a cache is made
 * (about 1.5 ms per 10,000 entries on a small machine): a start would pay that for every large
 * cache, although the first requests fill few of them.
 */
export function lazyLru<K extends NonNullable<unknown>, V extends NonNullable<unknown>>(
  options: LRUCache.Options<K, V, unknown>,
): () => LRUCache<K, V> {
  let cache: LRUCache<K, V> | undefined
  return () => (cache ??= new LRUCache<K, V>(options))
}
