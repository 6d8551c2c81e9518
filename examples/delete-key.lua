-- Deletes one key of a dataset across identities. The removal leaves the service's tombstone, so devices
-- drop the key on their next sync.
--
-- Usage: cogsync-lua delete-key.lua POOL IDENTITIES|--all DATASET KEY [--dry-run] [--concurrency N]
--   POOL, IDENTITIES  the identity pool and a file of identity ids (one per line, or list-identities JSON)
--   --all             instead of IDENTITIES: every identity of the pool, as Cognito Identity lists them
--   DATASET, KEY      the dataset and the key to delete
--   --dry-run         report what would change and send no write (as cogsync-lua --dry-run does)
--   --concurrency     identities handled at once (default 16)
-- Prints one line per identity that holds KEY, then a summary; exits 1 if any identity failed.
local cognitosync = require("cognitosync")
local args = require("lib.args")
local each_identity = require("lib.each_identity")
local identities = require("lib.identities")
local records = require("lib.records")

local opts = args.parse(arg, {
  usage = "delete-key.lua POOL IDENTITIES|--all DATASET KEY [--dry-run] [--concurrency N]",
  positional = args.given(arg, "all") and { "pool", "dataset", "key" } or { "pool", "identities", "dataset", "key" },
  options = { ["dry-run"] = "flag", concurrency = "integer", all = "flag" },
})

local cs = cognitosync.new{ params = { IdentityPoolId = opts.pool, DatasetName = opts.dataset },
                            dryRun = opts.dry_run or nil }
local ids = identities.chosen(opts)

local outcome = each_identity.run(ids, function(identity)
  if not records.read(cs, { IdentityId = identity })[opts.key] then return "absent" end
  local result = cs:patchRecords{ IdentityId = identity, remove = { opts.key } }
  local verb = result.DryRun and "would delete" or "deleted"
  print(string.format("%s %s: %s", verb, identity, opts.key))
  return verb
end, opts.concurrency)
print(string.format("%d identities: %d deleted, %d would delete, %d without %s, %d failed", #ids,
  outcome.deleted or 0, outcome["would delete"] or 0, outcome.absent or 0, opts.key, outcome.failed or 0))
if outcome.failed then os.exit(1) end
