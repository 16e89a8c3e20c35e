-- wrk script for bench/run.py: sends the method and body of BENCH_METHOD and BENCH_BODY (a GET
-- without them), counts responses whose status is not BENCH_STATUS (200 without it: a redirect
-- to the login page would otherwise pass for a fast page) and prints one JSON line with the
-- percentiles. Headers (the cookie, a POST's content type) come with wrk's -H.
local threads = {}

wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY") or ""
if body ~= "" then
  wrk.body = body
end
local expected = tonumber(os.getenv("BENCH_STATUS") or "200")

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
end

function response(status, headers, body)
  if status ~= expected then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local not_200 = 0
  for _, thread in ipairs(threads) do
    not_200 = not_200 + thread:get("not_ok")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, "not_200": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, not_200,
    e.connect, e.read, e.write, e.timeout))
end
