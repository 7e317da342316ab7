-- wrk script: an optional form POST (env BENCH_BODY, BENCH_AUTHORIZATION:
-- the Authorization header, e.g. client_secret_basic) or a plain GET, and a
-- count of the answers by status: 200 apart from anything else, so that a
-- rate of errors is never reported as throughput.
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local authorization = os.getenv("BENCH_AUTHORIZATION")
if authorization and authorization ~= "" then
  wrk.headers["Authorization"] = authorization
end

ok, other = 0, 0  -- globals: done() reads them per thread with t:get()
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local good, bad = 0, 0
  for _, t in ipairs(threads) do
    good = good + t:get("ok")
    bad = bad + t:get("other")
  end
  io.write(string.format("ok=%d other=%d\n", good, bad))
end
