-- wrk script: charging sessions by drivers taken in turn from a token file. Each connection holds 2
-- points (POST /v1/wallets/me/holds) and, once a hold's answer came, captures 1 of them as the
-- driver's app would (POST /v1/wallets/me/holds/{id}/capture); the rest is released. Every request
-- has a fresh Idempotency-Key. Sessions/s = (201s + 200s) / 2 / seconds; report.lua prints rps.
local tokens = {}
local n = 0
local thread_count = 0
local pending = {}
local by_driver = {}

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  for line in io.lines(args[1]) do
    tokens[#tokens + 1] = line
    by_driver["bench-" .. #tokens] = line
  end
end

function request()
  n = n + 1
  local key = string.format("bench-%d-%d-%d", tid, n, os.time())
  local due = table.remove(pending)
  if due then
    return wrk.format("POST", "/v1/wallets/me/holds/" .. due.hold .. "/capture", {
      ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. due.token, ["Idempotency-Key"] = key
    }, '{"amount":1}')
  end
  local token = tokens[(n + tid) % #tokens + 1]
  return wrk.format("POST", "/v1/wallets/me/holds", {
    ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token, ["Idempotency-Key"] = key
  }, '{"merchantId":"m-bench","amount":2}')
end

function response(status, headers, body)
  if status == 201 then
    local hold = body:match('"holdId":"([^"]+)"')
    local driver = body:match('"driverId":"([^"]+)"')
    if hold and driver then
      pending[#pending + 1] = { hold = hold, token = by_driver[driver] }
    end
  end
end

dofile("deploy/bench/report.lua")
