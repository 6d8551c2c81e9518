-- Runs one step per identity, many at once, and counts what the steps answered.
--
--   local each_identity = require("lib.each_identity")
--   local outcome = each_identity.run(ids, function(identity) ... return "renamed" end, 16)
--   print(outcome.renamed or 0, outcome.failed or 0)
--
-- A step returns a word for what it did; a step that raises counts as "failed" and is reported on stderr
-- with its identity and error.
local cognitosync = require("cognitosync")

local M = {}

function M.run(ids, step, concurrency)
  local results, errors = cognitosync.map(ids, step, { concurrency = concurrency or 16 })
  local outcome = {}
  for i = 1, #ids do
    local word = errors and errors[i] and "failed" or results[i]
    outcome[word] = (outcome[word] or 0) + 1
    if word == "failed" then io.stderr:write(string.format("failed %s: %s\n", ids[i], tostring(errors[i]))) end
  end
  return outcome
end

return M
