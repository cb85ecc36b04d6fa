-- wrk script: redemptions of 1 point, each under a fresh Idempotency-Key, by drivers taken in turn
-- from a token file (one token: a single hot driver).
local tokens = {}
local n = 0
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
end

function request()
  n = n + 1
  local token = tokens[(n + tid) % #tokens + 1]
  return wrk.format("POST", "/v1/wallets/me/redemptions", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = string.format("bench-%d-%d-%d", tid, n, os.time())
  }, '{"merchantId":"m-bench","amount":1}')
end

dofile("deploy/bench/report.lua")
