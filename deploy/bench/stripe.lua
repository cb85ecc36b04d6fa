-- wrk script: replays pre-signed Stripe deliveries, each thread its own share of the file.
local deliveries = {}
local next_index = 0
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local file, threads = args[1], tonumber(args[2])
  local n = 0
  for line in io.lines(file) do
    if n % threads == tid then
      local sig, body = line:match("^([^\t]*)\t(.*)$")
      deliveries[#deliveries + 1] = { sig, body }
    end
    n = n + 1
  end
end

function request()
  next_index = next_index + 1
  local d = deliveries[next_index]
  if d == nil then
    next_index = 1 -- past the end: redeliveries (answered as duplicates)
    d = deliveries[1]
  end
  return wrk.format("POST", "/webhooks/stripe",
    { ["Content-Type"] = "application/json", ["Stripe-Signature"] = d[1] }, d[2])
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.1f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
