-- A first tour: write a dataset for a few identities concurrently, read it back, and report usage.
--
-- Usage: cogsync-lua --local examples/demo.lua        (against the built-in local endpoint)
--        cogsync-lua examples/demo.lua POOL_ID         (against the configured AWS endpoint)
local cognitosync = require("cognitosync")

local pool = arg[1] or "us-east-1:00000000-0000-4000-8000-000000000001"
local cs = cognitosync.new{ params = { IdentityPoolId = pool } }

local identities = {}
for i = 1, 8 do
  identities[i] = string.format("us-east-1:00000000-0000-4000-8000-%012d", i)
end

-- Each identity gets a "settings" dataset; the eight writes run concurrently.
local results, errors = cognitosync.map(identities, function(identity, i)
  local page = cs:listRecords{ IdentityId = identity, DatasetName = "settings" }
  local written = cs:updateRecords{
    IdentityId = identity, DatasetName = "settings", SyncSessionToken = page.SyncSessionToken,
    RecordPatches = {
      { Op = "replace", Key = "theme", Value = i % 2 == 0 and "dark" or "light", SyncCount = 0 },
      { Op = "replace", Key = "visits", Value = tostring(i * 10), SyncCount = 0 },
    },
  }
  return #written.Records
end, { concurrency = 4 })
assert(errors == nil, "some writes failed")

for i, identity in ipairs(identities) do
  local page = cs:listRecords{ IdentityId = identity, DatasetName = "settings" }
  local values = {}
  for _, record in ipairs(page.Records) do
    values[#values + 1] = record.Key .. "=" .. record.Value
  end
  table.sort(values)
  print(string.format("%s  wrote %d  sync count %d  %s", identity, results[i], page.DatasetSyncCount,
    table.concat(values, " ")))
end

local usage = cs:describeIdentityPoolUsage{}.IdentityPoolUsage
print(string.format("pool %s stores %d bytes", usage.IdentityPoolId, usage.DataStorage))

-- A conflicting write is an error object, caught with pcall.
local ok, err = pcall(cs.updateRecords, cs, {
  IdentityId = identities[1], DatasetName = "settings",
  SyncSessionToken = cs:listRecords{ IdentityId = identities[1], DatasetName = "settings" }.SyncSessionToken,
  RecordPatches = { { Op = "replace", Key = "theme", Value = "stale", SyncCount = 0 } },
})
print("stale write:", ok, err.code)
