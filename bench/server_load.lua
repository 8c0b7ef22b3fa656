-- wrk script for scripts/bench-server.sh: every request POSTs a record no one has sent before
-- (the lines of $DOUI_RECORDS, split between wrk's threads), so each is verified, appended and
-- committed: the rate of 201s is the rate of durably stored consents.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local count = tonumber(os.getenv("DOUI_THREADS") or "1")
  records = {}
  local n = 0
  for line in io.lines(os.getenv("DOUI_RECORDS")) do
    if n % count == id then records[#records + 1] = line end
    n = n + 1
  end
  index = 0
  created = 0
  other = 0
end

function request()
  index = index + 1
  -- Past the last record the first ones are sent again: those are replays (200), not counted.
  local body = records[(index - 1) % #records + 1]
  return wrk.format("POST", "/api/consents", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
  end
  io.write(string.format("DOUI created=%d other=%d seconds=%.3f p50=%.3f p90=%.3f p99=%.3f\n",
    c, o, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000))
end
