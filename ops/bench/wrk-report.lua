-- Prints the figures the dashboard benchmark reports, as one machine-readable line.
-- Optional: a file of paths (one per line) in WRK_PATHS spreads requests over many pages.
-- Each wrk thread keeps the cookies the app sets, as a browser would: the sign-in cookie is re-issued when its
-- security stamp is re-validated (every minute), and a client that kept sending the first one would make the app
-- re-validate on every request, which no browser does.
local paths = {}
local file = os.getenv("WRK_PATHS")
if file and file ~= "" then
  for line in io.lines(file) do paths[#paths + 1] = line end
end
local counter = 0
local cookies = {}

local function remember(header)
  local name, value = header:match("^%s*([^=;]+)=([^;]*)")
  if not name then return end
  cookies[name] = value
  local jar = {}
  for n, v in pairs(cookies) do jar[#jar + 1] = n .. "=" .. v end
  wrk.headers["Cookie"] = table.concat(jar, "; ")
end

init = function(args)
  local start = wrk.headers["Cookie"]
  if start then
    for part in start:gmatch("[^;]+") do remember(part) end
  end
end

response = function(status, headers, body)
  local set = headers["Set-Cookie"]
  if set then remember(set) end
end

request = function()
  if #paths == 0 then return wrk.format(nil) end
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d errors=%d rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f\n",
    summary.requests, errors, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
