-- Checks and reserves, atomically, every limit of every scope of one request (see RedisAdmissionStore).
-- KEYS, per scope i (1-based): [3i-2] requests counter of the current minute, [3i-1] tokens counter of the
-- current minute, [3i] sorted set of in-flight request ids scored by lease expiry; KEYS[3n+1] the reservation.
-- ARGV: n, now (ms), lease (ms), worst-case tokens, request id, window ttl (ms), then per scope its
-- requests-per-minute, tokens-per-minute and concurrency limits (-1: not limited).
-- Returns {admitted 0|1, refused scope (0-based) or -1, refused limit 1 requests | 2 tokens | 3 concurrency,
-- count in use, {requests used per scope}, {tokens used per scope}}.
-- Every Redis call counts here (the script is most of a request's Redis time): a counter not limited is not read;
-- a counter gets its expiry when it is created; lapsed in-flight slots (a dead gateway's) are dropped when the
-- slots reach the limit, the only time they could refuse a request.
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
local rpm, tpm, conc, requests, used = {}, {}, {}, {}, {}
for i = 1, n do
  rpm[i], tpm[i], conc[i] = tonumber(ARGV[3 * i + 4]), tonumber(ARGV[3 * i + 5]), tonumber(ARGV[3 * i + 6])
  requests[i] = rpm[i] >= 0 and tonumber(redis.call('GET', KEYS[3 * i - 2]) or '0') or 0
  used[i] = tpm[i] >= 0 and tonumber(redis.call('GET', KEYS[3 * i - 1]) or '0') or 0
end
for i = 1, n do
  if rpm[i] >= 0 and requests[i] + 1 > rpm[i] then return {0, i - 1, 1, requests[i], requests, used} end
  if tpm[i] >= 0 and used[i] + tokens > tpm[i] then return {0, i - 1, 2, used[i], requests, used} end
  if conc[i] >= 0 then
    local inflight = redis.call('ZCARD', KEYS[3 * i])
    if inflight + 1 > conc[i] then
      redis.call('ZREMRANGEBYSCORE', KEYS[3 * i], '-inf', now)
      inflight = redis.call('ZCARD', KEYS[3 * i])
      if inflight + 1 > conc[i] then return {0, i - 1, 3, inflight, requests, used} end
    end
  end
end
local r, t, c = {}, {}, {}
for i = 1, n do
  if rpm[i] >= 0 then
    requests[i] = redis.call('INCR', KEYS[3 * i - 2])
    if requests[i] == 1 then redis.call('PEXPIRE', KEYS[3 * i - 2], ttl) end
    table.insert(r, KEYS[3 * i - 2])
  end
  if tpm[i] >= 0 then
    used[i] = redis.call('INCRBY', KEYS[3 * i - 1], tokens)
    if used[i] == tokens then redis.call('PEXPIRE', KEYS[3 * i - 1], ttl) end
    table.insert(t, KEYS[3 * i - 1])
  end
  if conc[i] >= 0 then
    redis.call('ZADD', KEYS[3 * i], now + lease, id)
    redis.call('PEXPIRE', KEYS[3 * i], lease)
    table.insert(c, KEYS[3 * i])
  end
end
redis.call('HSET', held, 'tokens', tokens, 'r', table.concat(r, '\n'), 't', table.concat(t, '\n'), 'c', table.concat(c, '\n'))
redis.call('PEXPIRE', held, lease)
return {1, -1, 0, 0, requests, used}
