-- Checks and reserves, atomically, every limit of every scope of one request (see RedisAdmissionStore).
-- KEYS, per scope i (1-based): [3i-2] requests counter of the current minute, [3i-1] tokens counter of the
-- current minute, [3i] sorted set of in-flight request ids scored by lease expiry; KEYS[3n+1] the reservation.
-- ARGV: n, now (ms), lease (ms), worst-case tokens, request id, window ttl (ms), then per scope its
-- requests-per-minute, tokens-per-minute and concurrency limits (-1: not limited).
-- Returns {admitted 0|1, refused scope (0-based) or -1, refused limit 1 requests | 2 tokens | 3 concurrency,
-- count in use, {requests used per scope}, {tokens used per scope}}.
local n = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local lease = tonumber(ARGV[3])
local tokens = tonumber(ARGV[4])
local id = ARGV[5]
local ttl = tonumber(ARGV[6])
local held = KEYS[3 * n + 1]
if redis.call('EXISTS', held) == 1 then
  return redis.error_reply('request ' .. id .. ' is already admitted')
end
local requests, used, inflight = {}, {}, {}
for i = 1, n do
  requests[i] = tonumber(redis.call('GET', KEYS[3 * i - 2]) or '0')
  used[i] = tonumber(redis.call('GET', KEYS[3 * i - 1]) or '0')
  redis.call('ZREMRANGEBYSCORE', KEYS[3 * i], '-inf', now)
  inflight[i] = redis.call('ZCARD', KEYS[3 * i])
end
for i = 1, n do
  local rpm, tpm, conc = tonumber(ARGV[3 * i + 4]), tonumber(ARGV[3 * i + 5]), tonumber(ARGV[3 * i + 6])
  if rpm >= 0 and requests[i] + 1 > rpm then return {0, i - 1, 1, requests[i], requests, used} end
  if tpm >= 0 and used[i] + tokens > tpm then return {0, i - 1, 2, used[i], requests, used} end
  if conc >= 0 and inflight[i] + 1 > conc then return {0, i - 1, 3, inflight[i], requests, used} end
end
local r, t, c = {}, {}, {}
for i = 1, n do
  local rpm, tpm, conc = tonumber(ARGV[3 * i + 4]), tonumber(ARGV[3 * i + 5]), tonumber(ARGV[3 * i + 6])
  if rpm >= 0 then
    requests[i] = redis.call('INCR', KEYS[3 * i - 2])
    redis.call('PEXPIRE', KEYS[3 * i - 2], ttl)
    table.insert(r, KEYS[3 * i - 2])
  end
  if tpm >= 0 then
    used[i] = redis.call('INCRBY', KEYS[3 * i - 1], tokens)
    redis.call('PEXPIRE', KEYS[3 * i - 1], ttl)
    table.insert(t, KEYS[3 * i - 1])
  end
  if conc >= 0 then
    redis.call('ZADD', KEYS[3 * i], now + lease, id)
    redis.call('PEXPIRE', KEYS[3 * i], lease)
    table.insert(c, KEYS[3 * i])
  end
end
redis.call('HSET', held, 'tokens', tokens, 'r', table.concat(r, '\n'), 't', table.concat(t, '\n'), 'c', table.concat(c, '\n'))
redis.call('PEXPIRE', held, lease)
return {1, -1, 0, 0, requests, used}
