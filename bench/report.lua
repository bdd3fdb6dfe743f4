-- wrk script used by bench/run.sh.
--
-- Counts responses whose status is not 2xx (wrk's own errors.status only
-- counts >= 400) and prints one machine-readable line at the end of the run:
--
--   bench_result rps=12345.67 p50_ms=0.812 p99_ms=3.204 requests=123456
--     non2xx=0 err_connect=0 err_read=0 err_write=0 err_timeout=0 err_status=0
--
-- (on one line). Latencies come from wrk's own histogram (microseconds),
-- converted to milliseconds; rps = completed requests / measured duration.

-- Authenticated scenarios: bench/run.sh puts an access token in BENCH_BEARER.
local bearer = os.getenv("BENCH_BEARER")
if bearer and bearer ~= "" then
   wrk.headers["Authorization"] = "Bearer " .. bearer
end

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

function init(args)
   non2xx = 0
   counter = 0
end

-- A path with as_of=VARY gets a different day on every request (thread id
-- and a counter, so no two requests of a run share one): the service's
-- answer cache never hits.  Days from 2023-01-01, at most 2100-12-31.
if wrk.path:find("as_of=VARY", 1, true) then
   function request()
      counter = counter + 1
      local day = (counter * 16 + (id or 0)) % 28400
      local date = os.date("!%Y-%m-%d", 1672531200 + day * 86400)
      local path = wrk.path:gsub("as_of=VARY", "as_of=" .. date)
      return wrk.format(nil, path)
   end
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
end

function done(summary, latency, requests)
   local non2xx_total = 0
   for _, thread in ipairs(threads) do
      non2xx_total = non2xx_total + (thread:get("non2xx") or 0)
   end
   local seconds = summary.duration / 1e6
   local rps = 0
   if seconds > 0 then
      rps = summary.requests / seconds
   end
   local e = summary.errors
   io.write(string.format(
      "bench_result rps=%.2f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d " ..
      "err_connect=%d err_read=%d err_write=%d err_timeout=%d err_status=%d\n",
      rps, latency:percentile(50.0) / 1000.0, latency:percentile(99.0) / 1000.0,
      summary.requests, non2xx_total,
      e.connect, e.read, e.write, e.timeout, e.status))
end
