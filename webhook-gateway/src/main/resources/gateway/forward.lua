-- Forwards one verified delivery atomically: duplicate check and XADD in one step, so any number
-- of concurrent copies of a delivery produce at most one stream entry per business identity.
-- KEYS[1]            the delivery (provider event id)
-- KEYS[2i], KEYS[2i+1]  entry i: its identity key (payment, refund, message id) and its stream
-- ARGV[1]            retention of the keys in milliseconds
-- ARGV[3i-1..3i+1]   entry i: envelope id, event type, envelope JSON
-- Returns -1 for a delivery already seen, else how many entries were appended.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return -1
end
local appended = 0
local entries = (#KEYS - 1) / 2
for i = 1, entries do
  local identity = KEYS[2 * i]
  local stream = KEYS[2 * i + 1]
  if redis.call('EXISTS', identity) == 0 then
    -- XADD first: if it fails, nothing is marked as forwarded and the provider's retry succeeds.
    redis.call('XADD', stream, '*', 'id', ARGV[3 * i - 1], 'type', ARGV[3 * i], 'envelope', ARGV[3 * i + 1])
    redis.call('SET', identity, '1', 'PX', ARGV[1])
    appended = appended + 1
  end
end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
return appended
