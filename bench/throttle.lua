-- Rate limits: the migration of bench/throttle.py. For each identity, patchRecords sets 3 keys of dataset
-- "settings" to values that name the identity; every item is written once, at most CONCURRENCY in flight.
-- Usage: cogsync-lua [--retry-mode MODE] throttle.lua POOL IDENTITIES CONCURRENCY
-- Prints one line of key=value figures, then one line per error code of failed items with the first message seen:
--   failed=N codes=CODE:N,... calls=N errors=N retries=N throttleRetries=N transientRetries=N throttles=N
--   quotaExhaustions=N wallTime=S retryMode=MODE sendRate=R allowedRate=R
--   error CODE <tostring of the first error with that code>
local cognitosync = require("cognitosync")
local pool, identities, concurrency = arg[1], tonumber(arg[2]), tonumber(arg[3])
local cs = cognitosync.new{}

local ids = {}
for i = 1, identities do ids[i] = string.format("us-east-1:00000000-0000-4000-8000-%012d", i) end

local _, errors = cognitosync.map(ids, function(id)
  return cs:patchRecords{ IdentityPoolId = pool, IdentityId = id, DatasetName = "settings",
                          set = { theme = "theme of " .. id, lang = "lang of " .. id, owner = id } }
end, { concurrency = concurrency })

local failed, counts, first = 0, {}, {}
for _, err in pairs(errors or {}) do
  failed = failed + 1
  local code = type(err) == "table" and err.code or "LuaError"
  counts[code] = (counts[code] or 0) + 1
  first[code] = first[code] or tostring(err)
end
local codes = {}
for code, n in pairs(counts) do codes[#codes + 1] = code .. ":" .. n end
table.sort(codes)

local stats = cognitosync.stats()
local client = (stats.clients or {})[1] or {}
local function rate(value) return value and string.format("%.1f", value) or "-" end
print(string.format("failed=%d codes=%s calls=%d errors=%d retries=%d throttleRetries=%d transientRetries=%d "
  .. "throttles=%d quotaExhaustions=%d wallTime=%.3f retryMode=%s sendRate=%s allowedRate=%s",
  failed, #codes > 0 and table.concat(codes, ",") or "-", stats.calls, stats.errors, stats.retries,
  stats.throttleRetries, stats.transientRetries, stats.throttles, stats.quotaExhaustions, stats.wallTime,
  client.retryMode or "-", rate(client.sendRate), rate(client.allowedRate)))
local sorted = {}
for code in pairs(first) do sorted[#sorted + 1] = code end
table.sort(sorted)
for _, code in ipairs(sorted) do print("error " .. code .. " " .. (first[code]:gsub("\n", " "))) end
