import { redisScript } from './redis-connection.ts';

/**
 * The Lua behind the Redis outbox. Keys, under the outbox prefix (`<keyPrefix>outbox:`):
 * - `e:<id>`: a hash per entry. `j` the JSON that never changes (ids, sink, ticket, createdAt),
 *   `s` status, `a` attempts, `n` next attempt (ms), `lo`/`lu` lease owner and lease end (ms),
 *   `r` the result JSON, `le` the last error.
 * - `due`: pending ids, scored by when they can next be claimed: the next attempt, or the lease end
 *   while leased, so a lapsed lease makes an entry claimable again with no sweeper.
 * - `all`, `dead`, `guide:<guideId>`: ids scored by creation time, for listing, counting and
 *   duplicate detection.
 * Times come from the caller (the deliverer's clock), never the server's, and travel as integer
 * strings, since Lua would print large numbers in exponent notation.
 */

/**
 * Adds the entries encoded by `encodeOutboxEntries` (a JSON array of [id, fixed JSON, next attempt,
 * created at, guide id]); an id already present is left as it is. Shared by `ADD_OUTBOX` and the
 * conversation save, which runs it in the same script as its write.
 */
export const ADD_OUTBOX_FUNCTION = `
local function add_outbox(prefix, json)
  if json == nil or json == '' then return end
  for _, e in ipairs(cjson.decode(json)) do
    local key = prefix .. 'e:' .. e[1]
    if redis.call('EXISTS', key) == 0 then
      redis.call('HSET', key, 'j', e[2], 's', 'pending', 'a', '0', 'n', e[3])
      redis.call('ZADD', prefix .. 'due', e[3], e[1])
      redis.call('ZADD', prefix .. 'all', e[4], e[1])
      redis.call('ZADD', prefix .. 'guide:' .. e[5], e[4], e[1])
    end
  end
end
`;

/** ARGV: outbox prefix, encoded entries. */
export const ADD_OUTBOX = redisScript(`${ADD_OUTBOX_FUNCTION}
add_outbox(ARGV[1], ARGV[2])
return 1
`);

/**
 * ARGV: outbox prefix, owner, now, lease end, limit. Leases up to `limit` due pending entries to the
 * owner, counting an attempt each, and returns their hashes (HGETALL pairs).
 */
export const CLAIM_OUTBOX = redisScript(`
local prefix = ARGV[1]
local ids = redis.call('ZRANGEBYSCORE', prefix .. 'due', '-inf', ARGV[3], 'LIMIT', 0, tonumber(ARGV[5]))
local claimed = {}
for _, id in ipairs(ids) do
  local key = prefix .. 'e:' .. id
  if redis.call('HGET', key, 's') == 'pending' then
    redis.call('HINCRBY', key, 'a', 1)
    redis.call('HSET', key, 'lo', ARGV[2], 'lu', ARGV[4])
    redis.call('ZADD', prefix .. 'due', ARGV[4], id)
    claimed[#claimed + 1] = redis.call('HGETALL', key)
  else
    redis.call('ZREM', prefix .. 'due', id)
  end
end
return claimed
`);

/** ARGV: outbox prefix, id, result JSON. Returns 1 when recorded, 0 when not pending. */
export const MARK_DELIVERED = redisScript(`
local key = ARGV[1] .. 'e:' .. ARGV[2]
if redis.call('HGET', key, 's') ~= 'pending' then return 0 end
redis.call('HSET', key, 's', 'delivered', 'r', ARGV[3])
redis.call('HDEL', key, 'lo', 'lu')
redis.call('ZREM', ARGV[1] .. 'due', ARGV[2])
return 1
`);

/**
 * ARGV: outbox prefix, id, owner, error, retry at ('' = dead-letter). Only while the owner holds
 * the lease; returns 1 when applied.
 */
export const MARK_FAILED = redisScript(`
local prefix, id = ARGV[1], ARGV[2]
local key = prefix .. 'e:' .. id
local state = redis.call('HMGET', key, 's', 'lo')
if state[1] ~= 'pending' or state[2] ~= ARGV[3] then return 0 end
redis.call('HDEL', key, 'lo', 'lu')
redis.call('HSET', key, 'le', ARGV[4])
if ARGV[5] == '' then
  redis.call('HSET', key, 's', 'dead')
  redis.call('ZREM', prefix .. 'due', id)
  redis.call('ZADD', prefix .. 'dead', redis.call('ZSCORE', prefix .. 'all', id) or 0, id)
else
  redis.call('HSET', key, 'n', ARGV[5])
  redis.call('ZADD', prefix .. 'due', ARGV[5], id)
end
return 1
`);

/** ARGV: outbox prefix, id, owner, next attempt. Gives a claim back uncounted; 1 when applied. */
export const RELEASE_OUTBOX = redisScript(`
local prefix, id = ARGV[1], ARGV[2]
local key = prefix .. 'e:' .. id
local state = redis.call('HMGET', key, 's', 'lo')
if state[1] ~= 'pending' or state[2] ~= ARGV[3] then return 0 end
if tonumber(redis.call('HGET', key, 'a')) > 0 then redis.call('HINCRBY', key, 'a', -1) end
redis.call('HSET', key, 'n', ARGV[4])
redis.call('HDEL', key, 'lo', 'lu')
redis.call('ZADD', prefix .. 'due', ARGV[4], id)
return 1
`);

/**
 * ARGV: outbox prefix, id, now. A dead entry becomes pending with no attempts; a pending one nobody
 * holds becomes due now. Returns the entry's hash (empty when there is none).
 */
export const RETRY_OUTBOX = redisScript(`
local prefix, id, now = ARGV[1], ARGV[2], ARGV[3]
local key = prefix .. 'e:' .. id
local state = redis.call('HMGET', key, 's', 'lu', 'n')
if state[1] == 'dead' then
  redis.call('HSET', key, 's', 'pending', 'a', '0', 'n', now)
  redis.call('HDEL', key, 'lo', 'lu')
  redis.call('ZREM', prefix .. 'dead', id)
  redis.call('ZADD', prefix .. 'due', now, id)
elseif state[1] == 'pending' and (not state[2] or tonumber(state[2]) <= tonumber(now)) then
  if tonumber(state[3]) > tonumber(now) then redis.call('HSET', key, 'n', now) end
  redis.call('HDEL', key, 'lo', 'lu')
  redis.call('ZADD', prefix .. 'due', redis.call('HGET', key, 'n'), id)
end
return redis.call('HGETALL', key)
`);
