import { ADD_OUTBOX_FUNCTION } from './outbox-scripts.ts';
import { redisScript } from './redis-connection.ts';

/**
 * The Lua that makes each conversation write one atomic step on the server. A conversation is a
 * hash `{ v: version, d: JSON value, u: user id }`; each user has a sorted set of their conversation
 * keys scored by expiry time (server clock, ms), which expires itself with its last member.
 * Lua numbers become arguments through "%.14g", so millisecond times are formatted as integers.
 */

/**
 * KEYS[1] the conversation hash. ARGV: expected version ('' = must not exist), JSON value, TTL in
 * ms, user id ('' = none), user index key prefix, the conversation key as `listByUser` returns it,
 * and optionally the outbox prefix and the outbox entries to add with the write (see
 * `outbox-scripts.ts`). Returns {1, new version}, or {0, current version (0 = none)} when the
 * expectation failed (and then adds nothing to the outbox).
 * The TTL is set again on every write, and the user index drops members that have expired.
 */
export const SAVE_CONVERSATION = redisScript(`${ADD_OUTBOX_FUNCTION}
local stored = redis.call('HMGET', KEYS[1], 'v', 'u')
local current, previousUser = stored[1], stored[2]
if (ARGV[1] == '' and current) or (ARGV[1] ~= '' and current ~= ARGV[1]) then
  return {0, tonumber(current) or 0}
end
local version = (tonumber(current) or 0) + 1
local ttl = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'v', version, 'd', ARGV[2], 'u', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ttl)
if previousUser and previousUser ~= '' and previousUser ~= ARGV[4] then
  redis.call('ZREM', ARGV[5] .. previousUser, ARGV[6])
end
if ARGV[4] ~= '' then
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  local index = ARGV[5] .. ARGV[4]
  redis.call('ZADD', index, string.format('%.0f', now + ttl), ARGV[6])
  redis.call('ZREMRANGEBYSCORE', index, '-inf', string.format('%.0f', now))
  local last = redis.call('ZRANGE', index, -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', index, last[2])
end
add_outbox(ARGV[7], ARGV[8])
return {1, version}
`);

/**
 * KEYS[1] the conversation hash. ARGV: expected version ('' = any), user index key prefix, the
 * conversation key. Returns {1, 0} when deleted or already gone, {0, current version} otherwise.
 */
export const DELETE_CONVERSATION = redisScript(`
local stored = redis.call('HMGET', KEYS[1], 'v', 'u')
local current, user = stored[1], stored[2]
if not current then return {1, 0} end
if ARGV[1] ~= '' and current ~= ARGV[1] then return {0, tonumber(current)} end
redis.call('DEL', KEYS[1])
if user and user ~= '' then redis.call('ZREM', ARGV[2] .. user, ARGV[3]) end
return {1, 0}
`);

/**
 * KEYS[1] the user's index. ARGV: conversation key prefix, user id. Drops expired members and any
 * whose conversation is gone or now belongs to someone else; returns the rest.
 */
export const LIST_CONVERSATIONS_BY_USER = redisScript(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now))
local keys = {}
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('HGET', ARGV[1] .. member, 'u') == ARGV[2] then
    keys[#keys + 1] = member
  else
    redis.call('ZREM', KEYS[1], member)
  end
end
return keys
`);
