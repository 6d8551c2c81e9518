-- Reading a dataset's records into a table by key.
--
--   local records = require("lib.records")
--   local live = records.read(cs, { IdentityPoolId = pool, IdentityId = id, DatasetName = "settings" })
--   if live.theme then print(live.theme.Value, live.theme.SyncCount) end
local M = {}

-- Every record of the dataset that holds a value (tombstones of removed keys are left out), by key.
function M.read(cs, params)
  local live = {}
  for record in cs:items("listRecords", params) do
    if record.Value ~= nil then live[record.Key] = record end
  end
  return live
end

return M
