-- Exports every dataset and record of the listed identities as NDJSON, one JSON object per record:
--   {"pool":..., "identity":..., "dataset":..., "key":..., "value":..., "syncCount":...,
--    "lastModifiedDate":..., "lastModifiedBy":..., "deviceLastModifiedDate":...}
-- Dates are epoch seconds. Deleted records (tombstones) are left out. Identities are read concurrently and
-- written in the order of the IDENTITIES file (with --all, in identity id order), so two exports of the same
-- data are identical.
--
-- Usage: cogsync-lua export.lua POOL IDENTITIES OUT.ndjson [--concurrency N]
--        cogsync-lua export.lua POOL --all OUT.ndjson [--concurrency N]
--   POOL          the identity pool id
--   IDENTITIES    a file of identity ids, one per line, or the JSON `aws cognito-identity list-identities` prints
--   --all         every identity of the pool, as Cognito Identity lists them (ListIdentities, page by page)
--   OUT.ndjson    where to write the records (`-` for standard output)
--   --concurrency identities read at once (default 16)
-- Rehearse: cogsync-lua --local-data rehearsal.db export.lua POOL --all out.ndjson
local cognitosync = require("cognitosync")
local args = require("lib.args")
local json = require("lib.json")
local identities = require("lib.identities")

local opts = args.parse(arg, {
  usage = "export.lua POOL IDENTITIES|--all OUT.ndjson [--concurrency N]",
  positional = args.given(arg, "all") and { "pool", "out" } or { "pool", "identities", "out" },
  options = { concurrency = "integer", all = "flag" },
})

local ids = identities.chosen(opts)
local out = io.stdout
if opts.out ~= "-" then out = assert(io.open(opts.out, "w")) end
local cs = cognitosync.new{ params = { IdentityPoolId = opts.pool } }

local FIELDS = { "pool", "identity", "dataset", "key", "value", "syncCount", "lastModifiedDate", "lastModifiedBy",
                 "deviceLastModifiedDate" }

-- Lines of finished identities wait here until every identity before them is written.
local pending, next_out = {}, 1
local function emit(i, lines)
  pending[i] = lines
  while pending[next_out] do
    for _, line in ipairs(pending[next_out]) do out:write(line, "\n") end
    pending[next_out] = nil
    next_out = next_out + 1
  end
end

local function export_identity(identity)
  local lines, tombstones = {}, 0
  for dataset in cs:items("listDatasets", { IdentityId = identity }) do
    local records = {}
    for record in cs:items("listRecords", { IdentityId = identity, DatasetName = dataset.DatasetName }) do
      if record.Value == nil then
        tombstones = tombstones + 1
      else
        records[#records + 1] = record
      end
    end
    table.sort(records, function(a, b) return a.Key < b.Key end)
    for _, record in ipairs(records) do
      lines[#lines + 1] = json.object({
        pool = opts.pool, identity = identity, dataset = dataset.DatasetName, key = record.Key,
        value = record.Value, syncCount = record.SyncCount, lastModifiedDate = record.LastModifiedDate,
        lastModifiedBy = record.LastModifiedBy, deviceLastModifiedDate = record.DeviceLastModifiedDate,
      }, FIELDS)
    end
  end
  return lines, tombstones
end

local counts, errors = cognitosync.map(ids, function(identity, i)
  local ok, lines, tombstones = pcall(export_identity, identity)
  emit(i, ok and lines or {})
  if not ok then error(lines, 0) end
  return { records = #lines, tombstones = tombstones }
end, { concurrency = opts.concurrency or 16, progress = "export" })

if out ~= io.stdout then out:close() end

local records, tombstones = 0, 0
for _, c in pairs(counts) do
  records, tombstones = records + c.records, tombstones + c.tombstones
end
local failed = 0
for i, err in pairs(errors or {}) do
  failed = failed + 1
  io.stderr:write(string.format("%s: %s\n", ids[i], tostring(err)))
end
io.stderr:write(string.format("exported %d records of %d identities (%d deleted records left out)\n",
  records, #ids - failed, tombstones))
if failed > 0 then os.exit(1) end
