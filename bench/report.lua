-- wrk script used by bench/run.sh.
--
-- Counts responses whose status is not 2xx and prints one machine-readable
-- line at the end of the run:
--
--   bench_result rps=12345.67 p50_ms=0.812 p99_ms=3.204 requests=123456
--     non2xx=0 err_connect=0 err_read=0 err_write=0 err_timeout=0 err_status=0
--
-- (on one line). Latencies come from wrk's own histogram (microseconds),
-- converted to milliseconds; rps = completed requests / measured duration.
-- BENCH_MODE (set by bench/run.sh from the scenario's options) turns the
-- request into a POST: "post" (empty body), "submit" (a new submission) or
-- "sign" (the signing of a new draft decision).

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

-- A path with cursor=VARY gets a cursor of its own on every request, so no
-- page comes from the service's page cache (staff_list_1m, search_1m): the
-- key [BENCH_CURSOR_GIVEN, BENCH_CURSOR_FULL, id] (both "" by default: the
-- first page) with an id above every staff id, so every request reads the
-- same page — the one after every row of that name — under another key.
local function base64url(s)
   local abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
   local out = {}
   for i = 1, #s, 3 do
      local a, b, c = s:byte(i, i + 2)
      local n = a * 65536 + (b or 0) * 256 + (c or 0)
      local chars = 2 + (b and 1 or 0) + (c and 1 or 0)
      for k = 1, chars do
         local v = math.floor(n / 2 ^ (6 * (4 - k))) % 64
         out[#out + 1] = abc:sub(v + 1, v + 1)
      end
   end
   return table.concat(out)
end

local function json_string(s)
   return '"' .. s:gsub('[\\"]', '\\%0') .. '"'
end

if wrk.path:find("cursor=VARY", 1, true) then
   local given = json_string(os.getenv("BENCH_CURSOR_GIVEN") or "")
   local full = json_string(os.getenv("BENCH_CURSOR_FULL") or "")
   function request()
      counter = counter + 1
      local key_id = string.format("%d", 1e15 + counter * 16 + (id or 0))
      local cursor = base64url("[" .. given .. "," .. full .. "," .. key_id .. "]")
      return wrk.format(nil, (wrk.path:gsub("cursor=VARY", "cursor=" .. cursor)))
   end
end

-- cursor=LATEST (public_news_cold): a cursor of its own on every request,
-- before every item of the news, so the first page is read from the
-- database every time (the service keeps only pages asked without one).
if wrk.path:find("cursor=LATEST", 1, true) then
   function request()
      counter = counter + 1
      local key = string.format("%d", 1e15 + counter * 16 + (id or 0))
      return wrk.format(nil, (wrk.path:gsub("cursor=LATEST", "cursor=9999-12-31.plan-" .. key)))
   end
end

-- public_news_db: Cache-Control: no-cache, so the service reads the news'
-- revision from the database at every request.
if os.getenv("BENCH_NO_CACHE") == "1" then
   wrk.headers["Cache-Control"] = "no-cache"
end

-- public_news_304: If-None-Match with the answer's tag (read by run.sh).
local if_none_match = os.getenv("BENCH_IF_NONE_MATCH")
if if_none_match and if_none_match ~= "" then
   wrk.headers["If-None-Match"] = if_none_match
end

-- BENCH_MODE=post: a POST with an empty body (consolidate_500).
local mode = os.getenv("BENCH_MODE") or ""
if mode == "post" then
   wrk.method = "POST"
end

-- BENCH_MODE=submit (report_submit): every request POSTs a new submission,
-- as a machine client would, with its own Idempotency-Key.  Pair i is unit
-- BENCH_SUBMIT_UNIT0 + i % BENCH_SUBMIT_UNITS of the (i / UNITS)-th period
-- of BENCH_SUBMIT_PERIODS (ids, comma-separated); thread t (1-based) takes
-- i = BASE + counter * STRIDE + t - 1, STRIDE being the number of threads,
-- so no two requests of a run share a pair and bench/run.sh starts each
-- run above the pairs taken.  Past the last period the pairs repeat the
-- last one's, and the 409s show.  The answers satisfy the template of
-- bench/seed_reports.sql (every required field; on time <= received).
if mode == "submit" then
   local periods = {}
   for p in (os.getenv("BENCH_SUBMIT_PERIODS") or ""):gmatch("%d+") do
      periods[#periods + 1] = p
   end
   local unit0 = tonumber(os.getenv("BENCH_SUBMIT_UNIT0") or "")
   local units = tonumber(os.getenv("BENCH_SUBMIT_UNITS") or "")
   local base = tonumber(os.getenv("BENCH_SUBMIT_BASE") or "0")
   local stride = tonumber(os.getenv("BENCH_SUBMIT_STRIDE") or "2")
   local nonce = os.getenv("BENCH_SUBMIT_NONCE") or "run"
   if #periods == 0 or not unit0 or not units then
      error("submit mode needs BENCH_SUBMIT_PERIODS, BENCH_SUBMIT_UNIT0, BENCH_SUBMIT_UNITS")
   end
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"

   function request()
      local i = base + counter * stride + (id or 1) - 1
      counter = counter + 1
      local period = periods[math.floor(i / units) + 1] or periods[#periods]
      local received = 20 + i % 180
      local on_time = received - i % 7
      local cents = math.floor((20000 * on_time + received) / (2 * received)) -- half up
      local body = string.format(
         '{"unit_id":%d,"submit":true,"answers":{"so_nguoi_quan_triet":%d,' ..
         '"tthc_tiep_nhan":%d,"tthc_dung_han":%d,"ty_le_dung_han":%d.%02d,' ..
         '"ty_le_cat_giam":%d.%02d,"dvc_muc_do_4":%s,"so_sang_kien":%d,' ..
         '"ket_qua":"Số liệu tổng hợp tự động từ hệ thống một cửa điện tử: tiếp nhận %d ' ..
         'hồ sơ thủ tục hành chính, giải quyết đúng hạn %d hồ sơ; 100%% công chức, người ' ..
         'lao động được quán triệt các nghị quyết, chủ trương của Đảng, chính sách, pháp ' ..
         'luật của Nhà nước."}}',
         unit0 + i % units, 5 + i % 40, received, on_time, math.floor(cents / 100), cents % 100,
         25 + i % 10, i % 100, tostring(i % 3 ~= 0), i % 4, received, on_time)
      wrk.headers["Idempotency-Key"] = nonce .. "-" .. i
      return wrk.format(nil, "/v1/report-periods/" .. period .. "/submissions", nil, body)
   end
end

-- BENCH_MODE=sign (decision_sign_1000): every request signs the next draft
-- of BENCH_SIGN_DRAFTS (ids, comma-separated; bench/seed_decisions.sql):
-- thread t (1-based) takes draft counter * STRIDE + t, so no two requests
-- of a run share one, and bench/run.sh lists only drafts no run signed.
-- Past the last, the last again: its 409s show.
if mode == "sign" then
   local drafts = {}
   for d in (os.getenv("BENCH_SIGN_DRAFTS") or ""):gmatch("%d+") do
      drafts[#drafts + 1] = d
   end
   if #drafts == 0 then
      error("sign mode needs BENCH_SIGN_DRAFTS")
   end
   local stride = tonumber(os.getenv("BENCH_SIGN_STRIDE") or "1")
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["If-Match"] = '"1"'
   local body = '{"decided_on":"2024-12-28","paid_on":"2024-12-30"}'

   function request()
      local i = counter * stride + (id or 1)
      counter = counter + 1
      local d = drafts[i] or drafts[#drafts]
      return wrk.format(nil, "/v1/decisions/" .. d .. "/sign", nil, body)
   end
end

-- No response() hook: with one, wrk copies every body into Lua, and on the
-- 2 cores the client shares with the servers that copy was measured as the
-- service's cost (a 600 KB checked list: 200 lists/s with the hook, 240 to
-- 275 without, same service).  wrk itself counts the statuses >= 400
-- (errors.status); a 1xx or 3xx would pass unnoticed: no scenario gets one
-- but public_news_304, whose 304s are its point.
function done(summary, latency, requests)
   local non2xx_total = summary.errors.status
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
