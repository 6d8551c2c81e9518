-- Reports every identity pool of the account and region: usage (sync sessions, bytes stored, last
-- change), push sync, Cognito streams and Cognito events, as an aligned table or as JSON.
--
-- Usage: cogsync-lua pools-report.lua [--json] [--concurrency N]
--   --json         print one JSON document: {"pools": [{"IdentityPoolId": ..., "SyncSessionsCount": ...,
--                  "DataStorage": ..., "LastModifiedDate": ..., "PushSync": {...}, "CognitoStreams": {...},
--                  "Events": {...}}, ...]}
--   --concurrency  pools whose configuration is read at once (default 8)
local cognitosync = require("cognitosync")
local args = require("lib.args")
local json = require("lib.json")

local opts = args.parse(arg, {
  usage = "pools-report.lua [--json] [--concurrency N]",
  options = { json = "flag", concurrency = "integer" },
})

local cs = cognitosync.new{}

local pools = {}
for usage in cs:items("listIdentityPoolUsage", {}) do pools[#pools + 1] = usage end
table.sort(pools, function(a, b) return a.IdentityPoolId < b.IdentityPoolId end)

-- Configuration and events of every pool, read concurrently; a pool that cannot be read keeps its error.
local details, errors = cognitosync.map(pools, function(usage)
  local id = usage.IdentityPoolId
  local config = cognitosync.spawn(cs.getIdentityPoolConfiguration, cs, { IdentityPoolId = id })
  local events = cs:getCognitoEvents{ IdentityPoolId = id }.Events
  local ok, configuration = config:wait()
  if not ok then error(configuration, 0) end
  return { configuration = configuration, events = events }
end, { concurrency = opts.concurrency or 8 })

local function non_empty(t)
  return t and next(t) and t or nil
end

if opts.json then
  local out = {}
  for i, usage in ipairs(pools) do
    local d = details[i] or {}
    local c = d.configuration or {}
    local push = c.PushSync and {
      RoleArn = c.PushSync.RoleArn, ApplicationArns = non_empty(c.PushSync.ApplicationArns),
    }
    out[i] = {
      IdentityPoolId = usage.IdentityPoolId, SyncSessionsCount = usage.SyncSessionsCount,
      DataStorage = usage.DataStorage, LastModifiedDate = usage.LastModifiedDate,
      PushSync = non_empty(push), CognitoStreams = non_empty(c.CognitoStreams), Events = non_empty(d.events),
      Error = errors and errors[i] and tostring(errors[i]) or nil,
    }
  end
  print(json.encode{ pools = out })
else
  local rows = { { "POOL", "SESSIONS", "BYTES", "LAST MODIFIED", "PUSH SYNC", "STREAM", "EVENTS" } }
  for i, usage in ipairs(pools) do
    local d = details[i]
    local push, stream, events = "-", "-", "-"
    if d then
      local p, s = d.configuration.PushSync, d.configuration.CognitoStreams
      if p and p.RoleArn then push = string.format("%d app%s", #(p.ApplicationArns or {}), #(p.ApplicationArns or {}) == 1 and "" or "s") end
      if s and s.StreamName then stream = s.StreamName .. " (" .. tostring(s.StreamingStatus) .. ")" end
      local names = {}
      for name in pairs(d.events or {}) do names[#names + 1] = name end
      table.sort(names)
      if #names > 0 then events = table.concat(names, ",") end
    else
      push = "error: " .. tostring(errors[i].code or errors[i])
    end
    rows[#rows + 1] = {
      usage.IdentityPoolId, tostring(usage.SyncSessionsCount or 0), tostring(usage.DataStorage or 0),
      usage.LastModifiedDate and os.date("!%Y-%m-%d %H:%M", math.floor(usage.LastModifiedDate)) or "-",
      push, stream, events,
    }
  end
  local widths = {}
  for _, row in ipairs(rows) do
    for c, cell in ipairs(row) do widths[c] = math.max(widths[c] or 0, utf8.len(cell) or #cell) end
  end
  for _, row in ipairs(rows) do
    local cells = {}
    for c, cell in ipairs(row) do
      local pad = string.rep(" ", widths[c] - (utf8.len(cell) or #cell))
      -- numbers right-aligned, text left-aligned
      cells[c] = (c == 2 or c == 3) and pad .. cell or cell .. pad
    end
    print((table.concat(cells, "  "):gsub("%s+$", "")))
  end
  print(string.format("%d pools", #pools))
end
if errors then os.exit(1) end
