-- What the client benchmark scripts share: the identity ids bench/client.py loads, one step per item run in a
-- plain loop or through map, and the summary line bench/client.py reads.
local cognitosync = require("cognitosync")

local M = {}

function M.identity(i)
  return string.format("us-east-1:00000000-0000-4000-8000-%012d", i)
end

-- Runs step(1) .. step(count): in a plain sequential loop when concurrency is 0, else through map. Returns the
-- sum of what the steps returned and the number that failed.
function M.run(count, step, concurrency)
  local total, failed = 0, 0
  if concurrency == 0 then
    for n = 1, count do total = total + step(n) end
  else
    local list = {}
    for n = 1, count do list[n] = n end
    local results, errors = cognitosync.map(list, step, { concurrency = concurrency })
    for _, r in pairs(results) do total = total + r end
    for _ in pairs(errors or {}) do failed = failed + 1 end
  end
  return total, failed
end

-- The line bench/client.py checks: the run's requests, errors and retries, and what the steps added up to.
function M.report(what, total, failed)
  local stats = cognitosync.stats()
  print(string.format("requests=%d errors=%d retries=%d %s=%d failed=%d", stats.calls, stats.errors,
    stats.retries, what, total, failed))
end

return M
