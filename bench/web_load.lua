-- wrk script for bench/web.py: each thread sends GETs for URLs drawn at random (seeded per
-- thread) from the file named after `--`, and prints one JSON line of figures when done.
local urls = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then urls[#urls + 1] = line end
  end
  math.randomseed(tonumber(args[2] or "42") + thread_id)
end

function request()
  return wrk.format("GET", urls[math.random(#urls)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "status_errors": %d, "socket_errors": %d, "p50_us": %d, "p95_us": %d, "duration_us": %d}\n',
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), summary.duration))
end
