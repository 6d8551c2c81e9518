-- W3: one listRecords; prints a line the moment it completes.
-- Usage: cogsync-lua first.lua POOL IDENTITY DATASET
local cs = require("cognitosync").new{}
local page = cs:listRecords{ IdentityPoolId = arg[1], IdentityId = arg[2], DatasetName = arg[3] }
io.stdout:write("done ", #page.Records, "\n")
io.stdout:flush()
