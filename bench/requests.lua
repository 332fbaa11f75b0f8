-- wrk script of `make bench`: GET the requests listed in the file named by WRK_REQUESTS (one per
-- line: the path, then tab-separated "Name: value" headers), in turn, and print a JSON summary.
local list = {}
local index = 0

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
  end
  file:close()
  -- Threads start at different places in the list, so a rotation mixes from the first second.
  index = math.random(#list) - 1
end

function request()
  index = index % #list + 1
  return list[index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
