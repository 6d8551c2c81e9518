-- Reports every identity pool of the account and region: its name and number of identities (Cognito
-- Identity), usage (sync sessions, bytes stored, last change), push sync, Cognito streams and Cognito events
-- (Cognito Sync), as an aligned table or as JSON. A pool either service lists is reported.
--
-- Usage: cogsync-lua pools-report.lua [--json] [--concurrency N]
--   --json         print one JSON document: {"pools": [{"IdentityPoolId": ..., "IdentityPoolName": ...,
--                  "IdentityCount": ..., "SyncSessionsCount": ..., "DataStorage": ..., "LastModifiedDate": ...,
--                  "PushSync": {...}, "CognitoStreams": {...}, "Events": {...}}, ...]}
--   --concurrency  pools read at once (default 8)
local cognitosync = require("cognitosync")
local cognitoidentity = require("cognitoidentity")
local args = require("lib.args")
local json = require("lib.json")

local opts = args.parse(arg, {
  usage = "pools-report.lua [--json] [--concurrency N]",
  options = { json = "flag", concurrency = "integer" },
})

local cs = cognitosync.new{}
local ci = cognitoidentity.new{}

-- Pools as Cognito Sync's usage and Cognito Identity's list give them, merged by id.
local pools, by_id = {}, {}
local function pool(id)
  if not by_id[id] then
    by_id[id] = { IdentityPoolId = id }
    pools[#pools + 1] = by_id[id]
  end
  return by_id[id]
end
for usage in cs:items("listIdentityPoolUsage", {}) do
  local p = pool(usage.IdentityPoolId)
  p.SyncSessionsCount, p.DataStorage, p.LastModifiedDate = usage.SyncSessionsCount, usage.DataStorage,
    usage.LastModifiedDate
end
for described in ci:items("listIdentityPools", { MaxResults = 60 }) do
  pool(described.IdentityPoolId).IdentityPoolName = described.IdentityPoolName
end
table.sort(pools, function(a, b) return a.IdentityPoolId < b.IdentityPoolId end)

-- Identities, configuration and events of every pool, read concurrently; a pool that cannot be read keeps its
-- error. A pool Cognito Identity does not know has no identity count.
local details, errors = cognitosync.map(pools, function(p)
  local id = p.IdentityPoolId
  local config = cognitosync.spawn(cs.getIdentityPoolConfiguration, cs, { IdentityPoolId = id })
  local events = cs:getCognitoEvents{ IdentityPoolId = id }.Events
  local count
  if p.IdentityPoolName then
    count = 0
    for _ in ci:items("listIdentities", { IdentityPoolId = id, MaxResults = 60 }) do count = count + 1 end
  end
  local ok, configuration = config:wait()
  if not ok then error(configuration, 0) end
  return { configuration = configuration, events = events, identities = count }
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
      IdentityPoolId = usage.IdentityPoolId, IdentityPoolName = usage.IdentityPoolName,
      IdentityCount = d.identities, SyncSessionsCount = usage.SyncSessionsCount,
      DataStorage = usage.DataStorage, LastModifiedDate = usage.LastModifiedDate,
      PushSync = non_empty(push), CognitoStreams = non_empty(c.CognitoStreams), Events = non_empty(d.events),
      Error = errors and errors[i] and tostring(errors[i]) or nil,
    }
  end
  print(json.encode{ pools = out })
else
  local rows = { { "POOL", "IDENTITIES", "SESSIONS", "BYTES", "LAST MODIFIED", "PUSH SYNC", "STREAM", "EVENTS",
                   "NAME" } }
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
      usage.IdentityPoolId, tostring(d and d.identities or "-"), tostring(usage.SyncSessionsCount or 0),
      tostring(usage.DataStorage or 0),
      usage.LastModifiedDate and os.date("!%Y-%m-%d %H:%M", math.floor(usage.LastModifiedDate)) or "-",
      push, stream, events, usage.IdentityPoolName or "-",
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
      -- numbers right-aligned, text left-aligned; the name is last, as it may hold spaces
      cells[c] = (c >= 2 and c <= 4) and pad .. cell or cell .. pad
    end
    print((table.concat(cells, "  "):gsub("%s+$", "")))
  end
  print(string.format("%d pools", #pools))
end
if errors then os.exit(1) end
