-- W1: for each identity, listRecords then updateRecords of 10 records.
-- Usage: cogsync-lua w1.lua POOL DATASET IDENTITIES CONCURRENCY   (CONCURRENCY 0: a plain sequential loop)
local cognitosync = require("cognitosync")
local workload = require("workload")
local pool, dataset = arg[1], arg[2]
local identities, concurrency = tonumber(arg[3]), tonumber(arg[4])
local cs = cognitosync.new{ params = { IdentityPoolId = pool, DatasetName = dataset } }

local function migrate(i)
  local identity = workload.identity(i)
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

workload.report("written", workload.run(identities, migrate, concurrency))
