-- wrk script: POST a valid sign-in form with the CSRF cookie and token
-- obtained beforehand (env BENCH_COOKIE, BENCH_BODY). Counts 303 answers
-- (signed in) apart from anything else.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")

signed_in, other = 0, 0  -- globals: done() reads them per thread with t:get()
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status == 303 then signed_in = signed_in + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local ok, bad = 0, 0
  for _, t in ipairs(threads) do
    ok = ok + t:get("signed_in")
    bad = bad + t:get("other")
  end
  io.write(string.format("signed_in=%d other=%d\n", ok, bad))
end
