-- wrk script of bench/capture/run.sh: POSTs one JSON form submission per request, each with a
-- unique e-mail (run tag + thread id + per-thread counter), counts 202 and non-202 answers per
-- thread and prints one machine-readable line "BENCH key=value ..." at the end.
-- Environment (read by every wrk thread):
--   BENCH_RUN          run tag that keeps e-mails unique across runs (default: start time)
--   BENCH_RATE         total offered rate in requests/s; unset or 0 = as fast as possible
--   BENCH_CONNECTIONS  wrk's -c, needed to spread BENCH_RATE over the connections

local run = os.getenv("BENCH_RUN") or tostring(os.time())
local rate = tonumber(os.getenv("BENCH_RATE") or "0") or 0
local connections = tonumber(os.getenv("BENCH_CONNECTIONS") or "1") or 1

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

-- per-thread state (each wrk thread has its own Lua state)
id = 0
counter = 0
ok = 0
non202 = 0
statuses = ""

local headers = { ["Content-Type"] = "application/json" }
local seen = {}

function init(args)
  math.randomseed(os.time() * 1000 + id)
end

function request()
  counter = counter + 1
  local email = string.format("b%s-t%d-%d@bench.example.com", run, id, counter)
  local body = '{"email":"' .. email .. '","firstName":"B","company":"Bench Co","utm":{"source":"bench"}}'
  return wrk.format("POST", nil, headers, body)
end

if rate > 0 then
  -- each connection waits this long before its next request: mean connections * 1000 / rate ms,
  -- jittered (0.5x .. 1.5x) so the connections do not fire in lockstep; wrk takes whole ms
  local per_connection_ms = connections * 1000.0 / rate
  function delay()
    return math.floor(per_connection_ms * (0.5 + math.random()) + 0.5)
  end
end

function response(status, hdrs, body)
  if status == 202 then
    ok = ok + 1
  else
    non202 = non202 + 1
    if not seen[status] then
      seen[status] = true
      statuses = statuses .. (statuses == "" and "" or ",") .. tostring(status)
    end
  end
end

function done(summary, latency, requests)
  local total_ok, total_non202, codes = 0, 0, {}
  for _, t in ipairs(threads) do
    total_ok = total_ok + (t:get("ok") or 0)
    total_non202 = total_non202 + (t:get("non202") or 0)
    for code in string.gmatch(t:get("statuses") or "", "[^,]+") do
      if not codes[code] then
        codes[code] = true
        table.insert(codes, code)
      end
    end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d ok202=%d non202=%d non202_codes=%s connect_err=%d read_err=%d write_err=%d timeout_err=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f\n",
    summary.requests, summary.duration, total_ok, total_non202, (#codes > 0 and table.concat(codes, ",") or "-"),
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
