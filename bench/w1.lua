-- W1: for each identity, listRecords then updateRecords of 10 records.
-- Usage: cogsync-lua w1.lua POOL DATASET IDENTITIES CONCURRENCY   (CONCURRENCY 0: a plain sequential loop)
local cognitosync = require("cognitosync")
local pool, dataset = arg[1], arg[2]
local identities, concurrency = tonumber(arg[3]), tonumber(arg[4])
local cs = cognitosync.new{ params = { IdentityPoolId = pool, DatasetName = dataset } }

local function migrate(i)
  local identity = string.format("us-east-1:00000000-0000-4000-8000-%012d", i)
  local page = cs:listRecords{ IdentityId = identity }
  local counts = {}
  for _, record in ipairs(page.Records) do counts[record.Key] = record.SyncCount end
  local patches = {}
  for k = 1, 10 do
    local key = "key" .. k
    patches[k] = { Op = "replace", Key = key, Value = "value-" .. k .. "-" .. i, SyncCount = counts[key] or 0 }
  end
  local written = cs:updateRecords{ IdentityId = identity, SyncSessionToken = page.SyncSessionToken,
                                    RecordPatches = patches }
  return #written.Records
end

local written, failed = 0, 0
if concurrency == 0 then
  for i = 1, identities do written = written + migrate(i) end
else
  local list = {}
  for i = 1, identities do list[i] = i end
  local results, errors = cognitosync.map(list, migrate, { concurrency = concurrency })
  for _, n in pairs(results) do written = written + n end
  for _ in pairs(errors or {}) do failed = failed + 1 end
end
local stats = cognitosync.stats()
print(string.format("requests=%d errors=%d retries=%d written=%d failed=%d", stats.calls, stats.errors,
  stats.retries, written, failed))
