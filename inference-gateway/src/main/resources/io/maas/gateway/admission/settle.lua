-- Ends one reservation, atomically and at most once (see RedisAdmissionStore).
-- KEYS[1] the reservation; ARGV: tokens really used, 1 to keep counting the request | 0 to take it back, request id.
-- Token counters keep the real usage instead of the worst case; concurrency slots are freed. Returns 1, or 0
-- when the reservation is unknown (settled already, or past its lease).
local h = redis.call('HMGET', KEYS[1], 'tokens', 'r', 't', 'c')
if not h[1] then
  return 0
end
local delta = tonumber(ARGV[1]) - tonumber(h[1])
for key in string.gmatch(h[3], '[^\n]+') do
  if redis.call('EXISTS', key) == 1 then redis.call('INCRBY', key, delta) end
end
if ARGV[2] == '0' then
  for key in string.gmatch(h[2], '[^\n]+') do
    if redis.call('EXISTS', key) == 1 then redis.call('DECR', key) end
  end
end
for key in string.gmatch(h[4], '[^\n]+') do
  redis.call('ZREM', key, ARGV[3])
end
redis.call('DEL', KEYS[1])
return 1
