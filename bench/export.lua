-- Export: every record of DATASET for IDENTITIES identities, read with items() at CONCURRENCY in flight and
-- written as tab-separated lines to OUTPUT.
-- Usage: cogsync-lua export.lua POOL DATASET IDENTITIES CONCURRENCY OUTPUT
local cognitosync = require("cognitosync")
local workload = require("workload")
local pool, dataset = arg[1], arg[2]
local identities, concurrency = tonumber(arg[3]), tonumber(arg[4])
local out = assert(io.open(arg[5], "w"))
local cs = cognitosync.new{ params = { IdentityPoolId = pool, DatasetName = dataset } }

local list = {}
for i = 1, identities do list[i] = workload.identity(i) end
local results, errors = cognitosync.map(list, function(identity)
  local n = 0
  for record in cs:items("listRecords", { IdentityId = identity }) do
    out:write(identity, "\t", record.Key, "\t", record.Value or "", "\t", record.SyncCount, "\n")
    n = n + 1
  end
  return n
end, { concurrency = concurrency })
out:close()
local records, failed = 0, 0
for _, n in pairs(results) do records = records + n end
for _ in pairs(errors or {}) do failed = failed + 1 end
workload.report("records", records, failed)
