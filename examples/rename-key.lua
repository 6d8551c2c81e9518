-- Renames one key of a dataset across identities: the value moves from OLD to NEW in a single update
-- per identity, so no device ever sees both keys or neither.
--
-- Usage: cogsync-lua rename-key.lua POOL IDENTITIES|--all DATASET OLD NEW [--dry-run] [--overwrite] [--concurrency N]
--   POOL, IDENTITIES  the identity pool and a file of identity ids (one per line, or list-identities JSON)
--   --all             instead of IDENTITIES: every identity of the pool, as Cognito Identity lists them
--   DATASET           the dataset holding the key
--   OLD, NEW          the key's current and new name
--   --dry-run         report what would change and send no write (as cogsync-lua --dry-run does)
--   --overwrite       replace NEW where an identity already holds a different value under it
--                     (without it such identities are left alone and reported as conflicts)
--   --concurrency     identities handled at once (default 16)
-- Prints one line per identity that holds OLD, then a summary; exits 1 if any identity failed or conflicted.
local cognitosync = require("cognitosync")
local args = require("lib.args")
local each_identity = require("lib.each_identity")
local identities = require("lib.identities")
local records = require("lib.records")

local spec = {
  usage = "rename-key.lua POOL IDENTITIES|--all DATASET OLD NEW [--dry-run] [--overwrite] [--concurrency N]",
  positional = args.given(arg, "all") and { "pool", "dataset", "old", "new" }
    or { "pool", "identities", "dataset", "old", "new" },
  options = { ["dry-run"] = "flag", overwrite = "flag", concurrency = "integer", all = "flag" },
}
local opts = args.parse(arg, spec)
if opts.old == opts.new then args.fail(spec, "OLD and NEW are the same key") end

local cs = cognitosync.new{ params = { IdentityPoolId = opts.pool, DatasetName = opts.dataset },
                            dryRun = opts.dry_run or nil }
local ids = identities.chosen(opts)

local outcome = each_identity.run(ids, function(identity)
  local live = records.read(cs, { IdentityId = identity })
  local old, new = live[opts.old], live[opts.new]
  if not old then return "absent" end
  if new and new.Value ~= old.Value and not opts.overwrite then
    print(string.format("conflict %s: %s already holds a different value", identity, opts.new))
    return "conflict"
  end
  local result = cs:patchRecords{ IdentityId = identity, set = { [opts.new] = old.Value }, remove = { opts.old } }
  local verb = result.DryRun and "would rename" or "renamed"
  print(string.format("%s %s: %s -> %s", verb, identity, opts.old, opts.new))
  return verb
end, opts.concurrency)
print(string.format("%d identities: %d renamed, %d would rename, %d without %s, %d conflicts, %d failed", #ids,
  outcome.renamed or 0, outcome["would rename"] or 0, outcome.absent or 0, opts.old, outcome.conflict or 0,
  outcome.failed or 0))
if outcome.failed or outcome.conflict then os.exit(1) end
