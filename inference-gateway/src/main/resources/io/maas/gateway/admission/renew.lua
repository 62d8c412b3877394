-- Extends the leases of reservations still held, atomically (see RedisAdmissionStore).
-- KEYS: the reservations; ARGV: now (ms), lease (ms), then the request ids in the order of KEYS.
-- A reservation still held gets its concurrency slots re-scored to now + lease (ZADD XX GT: a slot freed
-- meanwhile is not revived, a later expiry is not shortened) and its own expiry set to the lease; one past
-- its lease is gone and stays gone. Returns how many were renewed.
local lease = tonumber(ARGV[2])
local expires = tonumber(ARGV[1]) + lease
local renewed = 0
for i, held in ipairs(KEYS) do
  local slots = redis.call('HGET', held, 'c')
  if slots then
    for key in string.gmatch(slots, '[^\n]+') do
      redis.call('ZADD', key, 'XX', 'GT', expires, ARGV[i + 2])
      if redis.call('PTTL', key) < lease then redis.call('PEXPIRE', key, lease) end
    end
    redis.call('PEXPIRE', held, lease)
    renewed = renewed + 1
  end
end
return renewed
