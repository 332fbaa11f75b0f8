-- wrk script of `make bench`: GET the requests listed in the file named by WRK_REQUESTS (one per
-- line: the path, then tab-separated "Name: value" headers), in turn, and print a JSON summary.
-- With WRK_UNIQUE set, every request's path gets a query string no other request had
-- ("fresh=<WRK_UNIQUE>-<thread>-<n>"; WRK_UNIQUE differs per run): no cache keyed by the URL
-- can answer it, so the page is rendered fresh.
local list = {}
local paths, headers_of = {}, {}
local index = 0
local unique = os.getenv("WRK_UNIQUE")
local sent = 0

function init(args)
  local file = assert(io.open(os.getenv("WRK_REQUESTS"), "r"))
  for line in file:lines() do
    local parts = {}
    for part in string.gmatch(line, "[^\t]+") do table.insert(parts, part) end
    local headers = {}
    for k = 2, #parts do
      local name, value = string.match(parts[k], "^([^:]+):%s*(.*)$")
      headers[name] = value
    end
    table.insert(list, wrk.format("GET", parts[1], headers))
    table.insert(paths, parts[1])
    table.insert(headers_of, headers)
  end
  file:close()
  -- Threads start at different places in the list, so a rotation mixes from the first second.
  index = math.random(#list) - 1
end

function request()
  index = index % #list + 1
  if unique then
    sent = sent + 1
    local path = paths[index]
    local separator = string.find(path, "?", 1, true) and "&" or "?"
    return wrk.format(
      "GET", path .. separator .. "fresh=" .. unique .. "-" .. thread_id .. "-" .. sent, headers_of[index]
    )
  end
  return list[index]
end

-- With WRK_PER_SECOND set, each thread also counts its answers (and those of 400 and over) per
-- second of the clock, and done() adds them up: the fault run's throughput before, during and
-- after an outage. Off otherwise: a response() function costs every request some Lua.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

if os.getenv("WRK_PER_SECOND") then
  answers, failures = {}, {}

  function response(status, headers, body)
    local second = os.time()
    answers[second] = (answers[second] or 0) + 1
    if status >= 400 then failures[second] = (failures[second] or 0) + 1 end
  end
end

local function per_second()
  local answers, failures, seconds = {}, {}, {}
  for _, thread in ipairs(threads) do
    for second, n in pairs(thread:get("answers") or {}) do
      if not answers[second] then table.insert(seconds, second) end
      answers[second] = (answers[second] or 0) + n
    end
    for second, n in pairs(thread:get("failures") or {}) do
      failures[second] = (failures[second] or 0) + n
    end
  end
  table.sort(seconds)
  local rows = {}
  for _, second in ipairs(seconds) do
    table.insert(rows, string.format("[%d, %d, %d]", second, answers[second], failures[second] or 0))
  end
  return "[" .. table.concat(rows, ", ") .. "]"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"per_second": %s}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(99), latency.max, per_second()))
end
