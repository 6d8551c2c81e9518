-- Writes records from NDJSON (as export.lua writes it) back with patchRecords, one dataset at a time and
-- several datasets at once. Resumable: every dataset that is written is appended to a checkpoint file, and
-- a run started again after a crash or a kill skips those. A dataset whose write was applied but not yet
-- checkpointed is read again and found to hold the values already, so nothing is ever written twice.
--
-- Usage: cogsync-lua import.lua IN.ndjson [--pool NEW_POOL] [--checkpoint FILE] [--concurrency N]
--   IN.ndjson     records, one JSON object per line: pool, identity, dataset, key, value (no value: remove key)
--   --pool        write into this identity pool instead of each record's own
--   --checkpoint  the checkpoint file (default: IN.ndjson.checkpoint, next to the input)
--   --concurrency datasets written at once (default 8)
-- With cogsync-lua --dry-run nothing is written; only datasets that already hold their values are checkpointed.
-- Rehearse: cogsync-lua --local-data rehearsal.db import.lua out.ndjson --pool us-east-1:...
local cognitosync = require("cognitosync")
local args = require("lib.args")
local json = require("lib.json")
local checkpoints = require("lib.checkpoint")

local opts = args.parse(arg, {
  usage = "import.lua IN.ndjson [--pool NEW_POOL] [--checkpoint FILE] [--concurrency N]",
  positional = { "input" },
  options = { pool = "string", checkpoint = "string", concurrency = "integer" },
})

-- Group the records by target pool, identity and dataset, keeping the order of the file.
local groups, by_key = {}, {}
local input = assert(io.open(opts.input, "r"))
local line_number = 0
for line in input:lines() do
  line_number = line_number + 1
  if line:find("%S") then
    local ok, record = pcall(json.decode, line)
    if not ok or type(record) ~= "table" then
      error(string.format("%s:%d: not a JSON object: %s", opts.input, line_number, tostring(record)), 0)
    end
    for _, field in ipairs{ "identity", "dataset", "key" } do
      if type(record[field]) ~= "string" then
        error(string.format("%s:%d: %s missing", opts.input, line_number, field), 0)
      end
    end
    local pool = opts.pool or record.pool
    if type(pool) ~= "string" then error(string.format("%s:%d: pool missing (use --pool)", opts.input, line_number), 0) end
    local key = pool .. " " .. record.identity .. " " .. record.dataset
    local group = by_key[key]
    if not group then
      group = { key = key, pool = pool, identity = record.identity, dataset = record.dataset, set = {}, remove = {},
                count = 0 }
      by_key[key] = group
      groups[#groups + 1] = group
    end
    if type(record.value) == "string" then
      group.set[record.key] = record.value
    else
      group.remove[#group.remove + 1] = record.key
    end
    group.count = group.count + 1
  end
end
input:close()

local checkpoint = checkpoints.open(opts.checkpoint or (opts.input .. ".checkpoint"))
local todo, skipped = {}, 0
for _, group in ipairs(groups) do
  if checkpoint:has(group.key) then
    skipped = skipped + 1
  else
    todo[#todo + 1] = group
  end
end
if skipped > 0 then
  io.stderr:write(string.format("resuming: %d of %d datasets already imported (%s)\n", skipped, #groups,
    checkpoint.path))
end

local cs = cognitosync.new{}
local dry = false
local _, errors = cognitosync.map(todo, function(group)
  local result = cs:patchRecords{
    IdentityPoolId = group.pool, IdentityId = group.identity, DatasetName = group.dataset,
    set = group.set, remove = group.remove,
  }
  if result.DryRun then
    dry = true
    print(string.format("would write %s %s: %d changes", group.identity, group.dataset, #result.RecordPatches))
  else
    checkpoint:mark(group.key)
  end
  return group.count
end, { concurrency = opts.concurrency or 8, progress = "import" })
checkpoint:close()

local failed, records = 0, 0
for i, group in ipairs(todo) do
  if errors and errors[i] then
    failed = failed + 1
    io.stderr:write(string.format("%s %s: %s\n", group.identity, group.dataset, tostring(errors[i])))
  else
    records = records + group.count
  end
end
io.stderr:write(string.format("%s %d records in %d datasets%s\n", dry and "dry run: checked" or "imported", records,
  #todo - failed, failed > 0 and string.format(", %d datasets failed (run again to retry them)", failed) or ""))
if failed > 0 then os.exit(1) end
