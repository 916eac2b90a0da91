/**
 * Lua scripts of the Redis store. Each runs atomically on the Redis server, so an operation that reads
 * then writes (set-if-absent, counters, rate windows) gives one answer across every replica.
 *
 * Every script that writes a value also records it in two index keys, so that `entries` and `clear`
 * never scan the keyspace:
 * - the namespace index (a sorted set: value key → real expiry in ms, by the Redis server's clock),
 * - the owner index (a set of the owner's namespace indexes and streams).
 * Both indexes carry a TTL at least as long as the longest-lived key they list, so they expire with it.
 *
 * Values written without a TTL are stored with a leading `~` (never the start of a JSON text): they get
 * the store's default TTL, which a read renews once it has run down by the refresh margin.
 */

/** Shared helpers prepended to every script. `index(k, ix, own)` records key `k` with its TTL. */
const PRELUDE = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function extend(k, ttl)
  if redis.call('PTTL', k) < ttl then redis.call('PEXPIRE', k, ttl) end
end
local function index(k, ix, own)
  local ttl = redis.call('PTTL', k)
  if ttl <= 0 then return end
  local now = now_ms()
  redis.call('ZADD', ix, now + ttl, k)
  redis.call('ZREMRANGEBYSCORE', ix, '-inf', now)
  extend(ix, ttl)
  redis.call('SADD', own, ix)
  extend(own, ttl)
end
`

/** A script and the number of its leading arguments that are keys. */
export interface RedisScript {
  numberOfKeys: number
  lua: string
}

const script = (numberOfKeys: number, body: string): RedisScript => ({
  numberOfKeys,
  lua: PRELUDE + body,
})

/** KEYS: value, ns index, owner index. ARGV: stored text, ttl ms. */
export const SET = script(
  3,
  `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
index(KEYS[1], KEYS[2], KEYS[3])
return 1
`,
)

/** KEYS: value, ns index, owner index. ARGV: stored text, ttl ms. Returns 1 when stored. */
export const SET_IF_ABSENT = script(
  3,
  `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
index(KEYS[1], KEYS[2], KEYS[3])
return 1
`,
)

/**
 * KEYS: value, ns index, owner index. ARGV: default ttl ms, refresh margin ms. Returns the stored text;
 * renews a default-TTL value (and its index entries) whose TTL ran down by more than the margin.
 */
export const GET = script(
  3,
  `
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 1) == '~' then
  local ttl = tonumber(ARGV[1])
  if redis.call('PTTL', KEYS[1]) < ttl - tonumber(ARGV[2]) then
    redis.call('PEXPIRE', KEYS[1], ttl)
    index(KEYS[1], KEYS[2], KEYS[3])
  end
end
return v
`,
)

/** KEYS: value, ns index. Returns 1 when the key existed. */
export const DELETE = script(
  2,
  `
local n = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], KEYS[1])
return n
`,
)

/**
 * KEYS: value, ns index, owner index. ARGV: ttl ms. INCR, with the TTL set only when the counter is
 * created; a number stored by `set` without a TTL keeps its `~` mark and its sliding TTL.
 */
export const INCR = script(
  3,
  `
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 1) == '~' then
  local n = tonumber(string.sub(v, 2)) + 1
  redis.call('SET', KEYS[1], '~' .. n, 'KEEPTTL')
  return n
end
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  index(KEYS[1], KEYS[2], KEYS[3])
end
return n
`,
)

/**
 * KEYS: value, ns index, owner index. ARGV: window ms, sandbox now ms. The fixed window anchored on its
 * first hit: continue it while now < resetAt, else open a new one at now. Returns {count, resetAt}.
 * Stored as the JSON of a `WindowHit`, so `get` reads it like any value.
 */
export const HIT = script(
  3,
  `
local window = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local count, reset_at = 1, now + window
local v = redis.call('GET', KEYS[1])
if v then
  if string.sub(v, 1, 1) == '~' then v = string.sub(v, 2) end
  local ok, w = pcall(cjson.decode, v)
  if ok and type(w) == 'table' and tonumber(w.count) and tonumber(w.resetAt) and now < w.resetAt then
    count, reset_at = w.count + 1, w.resetAt
  end
end
local at = string.format('%.17g', reset_at)
local ttl = math.max(1, math.ceil(math.max(window, reset_at - now)))
redis.call('SET', KEYS[1], '{"count":' .. string.format('%d', count) .. ',"resetAt":' .. at .. '}', 'PX', ttl)
index(KEYS[1], KEYS[2], KEYS[3])
return {count, at}
`,
)

/**
 * KEYS: stream, owner index. ARGV: JSON entry, max length (0: none), max age ms (0: none), ttl ms.
 * XADD trimmed approximately (`~`) by length and by age, a TTL renewed on every append, and the stream
 * listed in its owner's index so that `clear` removes it. Returns the entry id.
 */
export const STREAM_APPEND = script(
  2,
  `
local max_len = tonumber(ARGV[2])
local id
if max_len > 0 then
  id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', max_len, '*', 'd', ARGV[1])
else
  id = redis.call('XADD', KEYS[1], '*', 'd', ARGV[1])
end
local max_age = tonumber(ARGV[3])
if max_age > 0 then redis.call('XTRIM', KEYS[1], 'MINID', '~', now_ms() - max_age) end
local ttl = tonumber(ARGV[4])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('SADD', KEYS[2], KEYS[1])
extend(KEYS[2], ttl)
return id
`,
)

/** Every script of the store, by the command name it is defined under on the ioredis client. */
export const REDIS_SCRIPTS = {
  stSet: SET,
  stSetIfAbsent: SET_IF_ABSENT,
  stGet: GET,
  stDelete: DELETE,
  stIncr: INCR,
  stHit: HIT,
  stStreamAppend: STREAM_APPEND,
} as const
