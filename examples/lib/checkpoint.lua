-- An append-only checkpoint file: one line per unit of work that finished, written and flushed as soon as
-- it finishes, so a run that is killed at any moment can start again and skip what is already done. A
-- last line cut short by the kill is ignored.
--
--   local checkpoint = require("lib.checkpoint").open("in.ndjson.checkpoint")
--   if not checkpoint:has(key) then work(); checkpoint:mark(key) end
--   checkpoint:close()
local M = {}
M.__index = M

function M.open(path)
  local done, count, cut = {}, 0, false
  local existing = io.open(path, "r")
  if existing then
    local text = existing:read("a")
    existing:close()
    for line in text:gmatch("([^\n]*)\n") do
      if line ~= "" and not done[line] then
        done[line] = true
        count = count + 1
      end
    end
    cut = text ~= "" and text:sub(-1) ~= "\n"
  end
  local file, err = io.open(path, "a")
  if not file then error("cannot open checkpoint: " .. err, 2) end
  if cut then file:write("\n") end
  return setmetatable({ path = path, done = done, count = count, file = file }, M)
end

function M:has(key)
  return self.done[key] == true
end

function M:mark(key)
  if key:find("\n", 1, true) then error("checkpoint keys are single lines", 2) end
  if self.done[key] then return end
  self.done[key] = true
  self.count = self.count + 1
  self.file:write(key, "\n")
  self.file:flush()
end

function M:close()
  self.file:close()
end

return M
