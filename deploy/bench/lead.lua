-- wrk script: new leads, each a different person (e-mail and phone unique in the run) under a fresh
-- Idempotency-Key, spread over the seven verticals and ten states the bench buyers cover.
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
  -- Phones: 8 million per run; each wrk run (warm-up, measurement) starts elsewhere in that space.
  local m = (run * 7919 + n * 2 + tid) % 8000000
  local exchange = 200 + math.floor(m / 10000) % 800
  local line = m % 10000
  local place = places[m % #places + 1]
  local body = string.format('{"vertical":"%s","firstName":"Ada","lastName":"Lovelace","email":"b%d.%d.%d@bench.example",'
    .. '"phone":"(415) %03d-%04d","zip":"%s","state":"%s",'
    .. '"trustedFormCertUrl":"https://cert.trustedform.com/0123456789abcdef0123456789abcdef01234567",'
    .. '"consent":true,"comments":"Prefers mornings"}',
    verticals[m % #verticals + 1], run, tid, n, exchange, line, place[1], place[2])
  return wrk.format("POST", "/v1/leads", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = string.format("bench-%d-%d-%d", run, tid, n)
  }, body)
end

dofile("deploy/bench/report.lua")
