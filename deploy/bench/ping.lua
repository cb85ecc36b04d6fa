-- wrk script: pings (ping/post's first step), each under a fresh Idempotency-Key, spread over the
-- seven verticals and ten states the bench buyers cover; only the anonymous part is sent.
local token
local n = 0
local thread_count = 0
local verticals = { "auto_insurance", "home_insurance", "health_insurance", "life_insurance", "solar", "roofing", "mortgage" }
local places = { { "94105", "CA" }, { "73301", "TX" }, { "33101", "FL" }, { "10001", "NY" }, { "85001", "AZ" },
  { "98101", "WA" }, { "60601", "IL" }, { "30301", "GA" }, { "27601", "NC" }, { "43004", "OH" } }
local run = os.time()

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  token = args[1]
end

function request()
  n = n + 1
  local m = n * 2 + tid
  local place = places[m % #places + 1]
  local body = string.format('{"vertical":"%s","zip":"%s","state":"%s"}', verticals[m % #verticals + 1], place[1], place[2])
  return wrk.format("POST", "/v1/leads/ping", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = string.format("bench-ping-%d-%d-%d", run, tid, n)
  }, body)
end

dofile("deploy/bench/report.lua")
