-- GCRA rate limit, atomic in Redis. Same algorithm as com.nova.kit.ratelimit.Gcra.
-- KEYS[1] = bucket key; ARGV[1] = limit (requests per period); ARGV[2] = period in ms.
-- Returns {allowed (1|0), remaining, retry_after_ms, reset_ms}. Time comes from Redis so that
-- every instance shares one clock.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local interval = period / limit
local stored = redis.call('GET', KEYS[1])
local tat = now
if stored then
  tat = math.max(tonumber(stored), now)
end
local new_tat = tat + interval
local allow_at = new_tat - period
if now < allow_at then
  local remaining = math.max(0, math.floor((period - (tat - now)) / interval))
  return {0, remaining, math.ceil(allow_at - now), math.ceil(tat - now)}
end
local remaining = math.max(0, math.floor((period - (new_tat - now)) / interval))
redis.call('SET', KEYS[1], string.format('%d', math.ceil(new_tat)), 'PX', math.ceil(new_tat - now) + 1000)
return {1, remaining, 0, math.ceil(new_tat - now)}
