-- wrk script of verifier/bench/run.sh (net.appstore.verifier.bench.WrkLoad): POST /v1/verify with
-- the receipts of the file named by $WRK_RECEIPTS, one a line, in turn, each wrk thread from its own
-- offset. Every answer that is not 200 {"status":"ok"} is counted as wrong. At the end, one line
-- for the benchmark: requests, duration, wrong answers, socket errors, p50/p99 latency and wrk's
-- own CPU time (from /proc/self/stat, in clock ticks), so the load generator's cost per request
-- sits next to the service's.
--
--   WRK_RECEIPTS=FILE wrk -t1 -c4 -d10s -s verifier/bench/verify.lua https://127.0.0.1:PORT/v1/verify

local OK = '{"status":"ok"}'
local threads = {}
local tokens = {}
for token in io.lines(os.getenv("WRK_RECEIPTS")) do
  tokens[#tokens + 1] = token
end

function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end

function init(_)
  wrong = 0
  requests = {}
  for i, token in ipairs(tokens) do
    requests[i] = wrk.format("POST", wrk.path, { ["Content-Type"] = "text/plain" }, token)
  end
  at = offset % #requests
end

if #tokens == 1 then
  -- One receipt: a static request, which wrk encodes once (no Lua call per request).
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "text/plain"
  wrk.body = tokens[1]
else
  function request()
    at = at % #requests + 1
    return requests[at]
  end
end

function response(status, headers, body)
  if status ~= 200 or body ~= OK then
    wrong = wrong + 1
  end
end

local function cpu_ticks()
  local stat = io.open("/proc/self/stat"):read("*l")
  local fields = {}
  -- after the command name's closing parenthesis come fields 3.. (state first): utime is field
  -- 14, stime field 15
  for field in stat:match("%) (.*)"):gmatch("%S+") do
    fields[#fields + 1] = field
  end
  return tonumber(fields[12]) + tonumber(fields[13])
end

function done(summary, latency, _)
  local wrong_answers = 0
  for _, thread in ipairs(threads) do
    wrong_answers = wrong_answers + thread:get("wrong")
  end
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d wrong=%d socket_errors=%d p50_us=%d p99_us=%d cpu_ticks=%d\n",
    summary.requests, summary.duration, wrong_answers,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), cpu_ticks()))
end
