-- wrk script for scripts/bench.sh: POSTs the demo's example transactions (demo/fraud-score.json,
-- path in $BENCH_EXAMPLES) round-robin to the infer endpoint, the same inputs the Java benchmarks
-- send, and writes its figures as key=value lines to $BENCH_WRK_OUT (stdout when unset). With
-- $BENCH_UNIT_IDS = N, each request also carries an X-Unit-Id header, customer-1 … customer-N in turn
-- (for sticky A/B splits), customer-k sending the examples' (k mod count)-th transaction. Requests are
-- formatted once, in init, so that wrk spends its CPU on sending.
local examples_file = os.getenv("BENCH_EXAMPLES") or "demo/fraud-score.json"
local out_file = os.getenv("BENCH_WRK_OUT")
local unit_ids = tonumber(os.getenv("BENCH_UNIT_IDS") or "0")
local prepared = {}
local last = 0

function init(args)
  local file = assert(io.open(examples_file, "r"))
  local json = file:read("*a")
  file:close()
  local input = assert(json:match('"input"%s*:%s*"([^"]+)"'), "no \"input\" name in " .. examples_file)
  -- The examples' "features" are the only arrays of bare numbers (the top-level "features" holds objects).
  local bodies = {}
  for row in json:gmatch('"features"%s*:%s*(%[[%d%.%s,eE+-]*%])') do
    local _, commas = row:gsub(",", "")
    bodies[#bodies + 1] = string.format('{"inputs":[{"name":"%s","datatype":"FP32","shape":[1,%d],"data":%s}]}',
      input, commas + 1, row)
  end
  assert(#bodies > 0, "no examples in " .. examples_file)
  if unit_ids > 0 then
    for k = 1, unit_ids do
      prepared[k] = wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["X-Unit-Id"] = "customer-" .. k },
        bodies[(k - 1) % #bodies + 1])
    end
  else
    for k, body in ipairs(bodies) do
      prepared[k] = wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
    end
  end
end

function request()
  last = last % #prepared + 1
  return prepared[last]
end

function done(summary, latency, requests)
  local errors = summary.errors
  local report = string.format(
    "requests=%d\nrps=%.1f\np50_us=%.1f\np99_us=%.1f\nerrors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.status + errors.timeout)
  if out_file then
    local file = assert(io.open(out_file, "w"))
    file:write(report)
    file:close()
  else
    io.write(report)
  end
end
