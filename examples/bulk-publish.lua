-- Starts a bulk publish of a pool (every dataset to the pool's Cognito stream) and waits until it ends.
-- A publish already running is waited for rather than started again; a pool published in the last 24
-- hours (which the service refuses to publish again) is reported with the earlier run's details.
--
-- Usage: cogsync-lua bulk-publish.lua POOL [--delay SECONDS] [--max-attempts N]
--   POOL            the identity pool id (streams must be configured and enabled: see push-setup.lua)
--   --delay         seconds between status checks (default 5)
--   --max-attempts  status checks before giving up (default 720, an hour at the default delay)
-- Exits 0 when the publish succeeded, 1 when it failed or did not finish in time.
local cognitosync = require("cognitosync")
local args = require("lib.args")

local opts = args.parse(arg, {
  usage = "bulk-publish.lua POOL [--delay SECONDS] [--max-attempts N]",
  positional = { "pool" },
  options = { delay = "number", ["max-attempts"] = "integer" },
})

local cs = cognitosync.new{ params = { IdentityPoolId = opts.pool } }

local function when(seconds)
  return seconds and os.date("!%Y-%m-%dT%H:%M:%SZ", math.floor(seconds)) or "-"
end

local ok, err = pcall(cs.bulkPublish, cs, {})
if ok then
  print("bulk publish started for " .. opts.pool)
elseif err.code == "DuplicateRequestException" then
  print("a bulk publish is already running for " .. opts.pool .. "; waiting for it")
elseif err.code == "AlreadyStreamedException" then
  local details = cs:getBulkPublishDetails{}
  print(string.format("already published in the last 24 hours: %s, started %s, completed %s",
    details.BulkPublishStatus, when(details.BulkPublishStartTime), when(details.BulkPublishCompleteTime)))
  return
else
  error(err, 0)
end

local done, details = pcall(cs.waitFor, cs, "bulkPublishCompleted", {},
  { delay = opts.delay or 5, maxAttempts = opts.max_attempts or 720 })
if not done then
  -- WaiterFailed: the publish ended FAILED; ResourceNotReady: still running after every check.
  if type(details) ~= "table" then error(details, 0) end
  io.stderr:write(string.format("%s: %s\n", details.code, details.message))
  os.exit(1)
end
print(string.format("%s: started %s, completed %s", details.BulkPublishStatus, when(details.BulkPublishStartTime),
  when(details.BulkPublishCompleteTime)))
