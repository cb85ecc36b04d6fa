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

dofile("deploy/bench/report.lua")
