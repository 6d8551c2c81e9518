-- Command-line parsing shared by the example scripts.
--
--   local args = require("lib.args")
--   local opts = args.parse(arg, {
--     usage = "export.lua POOL IDENTITIES OUT.ndjson [--concurrency N]",
--     positional = { "pool", "identities", "out" },          -- required, in order
--     optional = { "extra" },                                -- may be left out
--     options = { concurrency = "integer", json = "flag", pool = "string" },
--   })
--
-- Options are written `--name value`, `--name=value` or, for flags, `--name`; `--` ends them. args.given(arg, name)
-- says whether the flag `--name` is there, for a script whose positional arguments depend on it. A dash in an
-- option's name is an underscore in the result (`--dry-run` sets `opts.dry_run`). `--help` prints the usage
-- and exits 0; a mistake prints the usage to stderr and exits 2 (so does args.fail(spec, message)).
local M = {}

-- Prints the message and the usage to stderr and exits 2: for mistakes in the arguments that parse() cannot see.
function M.fail(spec, message)
  io.stderr:write(message, "\nusage: ", spec.usage, "\n")
  os.exit(2)
end
local fail = M.fail

-- Whether the flag --name is among the options (before any `--`).
function M.given(argv, name)
  for _, a in ipairs(argv) do
    if a == "--" then return false end
    if a == "--" .. name then return true end
  end
  return false
end

local function convert(spec, name, kind, text)
  if kind == "integer" then
    local n = math.tointeger(tonumber(text))
    if not n or n < 1 then fail(spec, "--" .. name .. ": expected a positive integer, got " .. tostring(text)) end
    return n
  elseif kind == "number" then
    local n = tonumber(text)
    if not n or n < 0 then fail(spec, "--" .. name .. ": expected a non-negative number, got " .. tostring(text)) end
    return n
  end
  return text
end

function M.parse(argv, spec)
  local result, positional = {}, {}
  local options = spec.options or {}
  local i, only_positional = 1, false
  while argv[i] ~= nil do
    local a = argv[i]
    if only_positional or a == "-" or a:sub(1, 2) ~= "--" then
      positional[#positional + 1] = a
    elseif a == "--" then
      only_positional = true
    elseif a == "--help" then
      io.stdout:write("usage: ", spec.usage, "\n")
      os.exit(0)
    else
      local name, value = a:match("^%-%-([%w-]+)=(.*)$")
      name = name or a:sub(3)
      local kind = options[name]
      if kind == nil then fail(spec, "unknown option --" .. name) end
      local key = name:gsub("-", "_")
      if kind == "flag" then
        if value ~= nil then fail(spec, "--" .. name .. " takes no value") end
        result[key] = true
      else
        if value == nil then
          i = i + 1
          value = argv[i]
          if value == nil then fail(spec, "--" .. name .. " needs a value") end
        end
        result[key] = convert(spec, name, kind, value)
      end
    end
    i = i + 1
  end
  local required, optional = spec.positional or {}, spec.optional or {}
  if #positional < #required then
    fail(spec, "missing " .. table.concat(required, " ", #positional + 1):upper())
  end
  if #positional > #required + #optional then
    fail(spec, "unexpected argument " .. positional[#required + #optional + 1])
  end
  for n, name in ipairs(required) do result[name] = positional[n] end
  for n, name in ipairs(optional) do result[name] = positional[#required + n] end
  return result
end

return M
