-- Emits values from a test script as "@@name <json>" lines on stdout, for the pytest side to read.
local M = {}

local function encode(value, out)
  local kind = type(value)
  if kind == "nil" then
    out[#out + 1] = "null"
  elseif kind == "boolean" then
    out[#out + 1] = tostring(value)
  elseif kind == "number" then
    if math.type(value) == "integer" then
      out[#out + 1] = string.format("%d", value)
    else
      out[#out + 1] = string.format("%.17g", value)
    end
  elseif kind == "string" then
    out[#out + 1] = '"' .. value:gsub('[%c"\\]', function(c)
      return string.format("\\u%04x", c:byte())
    end) .. '"'
  elseif kind == "table" and getmetatable(value) and getmetatable(value).__tostring and value.code == nil then
    encode(tostring(value), out)
  elseif kind == "table" then
    local n = #value
    local keys = {}
    for k in pairs(value) do keys[#keys + 1] = k end
    if n > 0 and #keys == n then
      out[#out + 1] = "["
      for i = 1, n do
        if i > 1 then out[#out + 1] = "," end
        encode(value[i], out)
      end
      out[#out + 1] = "]"
    else
      table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
      out[#out + 1] = "{"
      for i, k in ipairs(keys) do
        if i > 1 then out[#out + 1] = "," end
        encode(tostring(k), out)
        out[#out + 1] = ":"
        encode(value[k], out)
      end
      out[#out + 1] = "}"
    end
  else
    encode(tostring(value), out)
  end
end

function M.encode(value)
  local out = {}
  encode(value, out)
  return table.concat(out)
end

function M.emit(name, value)
  io.stdout:write("@@", name, " ", M.encode(value), "\n")
  io.stdout:flush()
end

return M
