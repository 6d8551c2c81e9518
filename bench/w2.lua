-- W2: COUNT listRecords calls spread over IDENTITIES identities' datasets.
-- Usage: cogsync-lua w2.lua POOL DATASET IDENTITIES COUNT CONCURRENCY   (CONCURRENCY 0: a plain sequential loop)
local cognitosync = require("cognitosync")
local pool, dataset = arg[1], arg[2]
local identities, count, concurrency = tonumber(arg[3]), tonumber(arg[4]), tonumber(arg[5])
local cs = cognitosync.new{ params = { IdentityPoolId = pool, DatasetName = dataset } }

local function read(n)
  local identity = string.format("us-east-1:00000000-0000-4000-8000-%012d", (n - 1) % identities + 1)
  return #cs:listRecords{ IdentityId = identity }.Records
end

local records, failed = 0, 0
if concurrency == 0 then
  for n = 1, count do records = records + read(n) end
else
  local list = {}
  for n = 1, count do list[n] = n end
  local results, errors = cognitosync.map(list, read, { concurrency = concurrency })
  for _, r in pairs(results) do records = records + r end
  for _ in pairs(errors or {}) do failed = failed + 1 end
end
local stats = cognitosync.stats()
print(string.format("requests=%d errors=%d retries=%d records=%d failed=%d", stats.calls, stats.errors,
  stats.retries, records, failed))
