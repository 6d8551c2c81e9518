-- W2: COUNT listRecords calls spread over IDENTITIES identities' datasets.
-- Usage: cogsync-lua w2.lua POOL DATASET IDENTITIES COUNT CONCURRENCY   (CONCURRENCY 0: a plain sequential loop)
local cognitosync = require("cognitosync")
local workload = require("workload")
local pool, dataset = arg[1], arg[2]
local identities, count, concurrency = tonumber(arg[3]), tonumber(arg[4]), tonumber(arg[5])
local cs = cognitosync.new{ params = { IdentityPoolId = pool, DatasetName = dataset } }

local function read(n)
  return #cs:listRecords{ IdentityId = workload.identity((n - 1) % identities + 1) }.Records
end

workload.report("records", workload.run(count, read, concurrency))
