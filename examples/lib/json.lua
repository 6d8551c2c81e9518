-- JSON for the example scripts: lua-cjson when it is installed (Debian: apt install lua-cjson), otherwise a
-- small writer and reader in plain Lua with the same behaviour for the values these scripts use.
--
--   local json = require("lib.json")
--   json.encode({ key = "theme", syncCount = 3 })   --> {"key":"theme","syncCount":3}
--   json.decode('{"a":[1,2]}').a[2]                 --> 2
--   json.object(t, { "key", "syncCount" })          --> the same, keys in this order (nil values left out)
--   json.null                                       -- what a JSON null decodes to
--   json.backend                                    -- "cjson" or "lua"
--
-- An empty table encodes as {}. Numbers keep 14 significant digits with lua-cjson (epoch seconds with
-- milliseconds fit) and round-trip exactly with the plain Lua writer.
local M = {}

-- Encodes the fields of `t` named in `order`, in that order: a stable line layout for files people diff.
function M.object(t, order)
  local parts = {}
  for _, key in ipairs(order) do
    if t[key] ~= nil then parts[#parts + 1] = M.encode(key) .. ":" .. M.encode(t[key]) end
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

local ok, cjson = pcall(require, "cjson")
if ok then
  local instance = cjson.new()
  instance.encode_number_precision(14)
  M.encode, M.decode, M.null, M.backend = instance.encode, instance.decode, instance.null, "cjson"
  return M
end

M.backend = "lua"
M.null = setmetatable({}, { __tostring = function() return "null" end, __name = "json.null" })

local escapes = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n",
                  ["\r"] = "\\r", ["\t"] = "\\t" }

local function encode_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return escapes[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

local function encode_number(n)
  if math.type(n) == "integer" then return string.format("%d", n) end
  if n ~= n or n == math.huge or n == -math.huge then error("json: cannot encode " .. tostring(n), 3) end
  for digits = 14, 17 do
    local text = string.format("%." .. digits .. "g", n)
    if tonumber(text) == n then return text end
  end
end

local encode_value

local function is_array(t)
  local n = #t
  if n == 0 then return false end
  local count = 0
  for _ in pairs(t) do count = count + 1 end
  return count == n
end

local function encode_table(t, out, depth)
  if depth > 100 then error("json: nesting too deep (a cycle?)", 3) end
  if is_array(t) then
    out[#out + 1] = "["
    for i = 1, #t do
      if i > 1 then out[#out + 1] = "," end
      encode_value(t[i], out, depth + 1)
    end
    out[#out + 1] = "]"
    return
  end
  local keys = {}
  for k in pairs(t) do
    if type(k) ~= "string" then error("json: object keys must be strings, got " .. type(k), 3) end
    keys[#keys + 1] = k
  end
  table.sort(keys)
  out[#out + 1] = "{"
  for i, k in ipairs(keys) do
    if i > 1 then out[#out + 1] = "," end
    out[#out + 1] = encode_string(k)
    out[#out + 1] = ":"
    encode_value(t[k], out, depth + 1)
  end
  out[#out + 1] = "}"
end

function encode_value(v, out, depth)
  local kind = type(v)
  if v == nil or v == M.null then
    out[#out + 1] = "null"
  elseif kind == "boolean" then
    out[#out + 1] = tostring(v)
  elseif kind == "number" then
    out[#out + 1] = encode_number(v)
  elseif kind == "string" then
    out[#out + 1] = encode_string(v)
  elseif kind == "table" then
    encode_table(v, out, depth)
  else
    error("json: cannot encode a " .. kind, 3)
  end
end

function M.encode(value)
  local out = {}
  encode_value(value, out, 0)
  return table.concat(out)
end

local decode_value

local function decode_error(text, pos, what)
  error(string.format("json: %s at character %d", what, pos), 0)
end

local function skip(text, pos)
  return text:find("[^ \t\r\n]", pos) or #text + 1
end

local function decode_string(text, pos)
  local parts, i = {}, pos + 1
  while true do
    local j = text:find('["\\%c]', i)
    if not j then decode_error(text, pos, "unterminated string") end
    parts[#parts + 1] = text:sub(i, j - 1)
    local c = text:sub(j, j)
    if c == '"' then return table.concat(parts), j + 1 end
    if c ~= "\\" then decode_error(text, j, "control character in string") end
    local e = text:sub(j + 1, j + 1)
    local simple = ({ b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/" })[e]
    if simple then
      parts[#parts + 1] = simple
      i = j + 2
    elseif e == "u" then
      local code = tonumber(text:sub(j + 2, j + 5), 16)
      if not code then decode_error(text, j, "bad \\u escape") end
      i = j + 6
      if code >= 0xD800 and code <= 0xDBFF and text:sub(i, i + 1) == "\\u" then
        local low = tonumber(text:sub(i + 2, i + 5), 16)
        if low and low >= 0xDC00 and low <= 0xDFFF then
          code = 0x10000 + (code - 0xD800) * 0x400 + (low - 0xDC00)
          i = i + 6
        end
      end
      parts[#parts + 1] = utf8.char(code)
    else
      decode_error(text, j, "bad escape")
    end
  end
end

local function decode_number(text, pos)
  local literal = text:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
  if not literal or literal == "" or literal == "-" then decode_error(text, pos, "bad number") end
  local n = tonumber(literal)
  if n == nil then decode_error(text, pos, "bad number") end
  if literal:find("[.eE]") then n = n + 0.0 end
  return n, pos + #literal
end

function decode_value(text, pos)
  pos = skip(text, pos)
  local c = text:sub(pos, pos)
  if c == "{" then
    local object = {}
    pos = skip(text, pos + 1)
    if text:sub(pos, pos) == "}" then return object, pos + 1 end
    while true do
      if text:sub(pos, pos) ~= '"' then decode_error(text, pos, "object key expected") end
      local key
      key, pos = decode_string(text, pos)
      pos = skip(text, pos)
      if text:sub(pos, pos) ~= ":" then decode_error(text, pos, "':' expected") end
      object[key], pos = decode_value(text, pos + 1)
      pos = skip(text, pos)
      c = text:sub(pos, pos)
      if c == "}" then return object, pos + 1 end
      if c ~= "," then decode_error(text, pos, "',' or '}' expected") end
      pos = skip(text, pos + 1)
    end
  elseif c == "[" then
    local array = {}
    pos = skip(text, pos + 1)
    if text:sub(pos, pos) == "]" then return array, pos + 1 end
    while true do
      array[#array + 1], pos = decode_value(text, pos)
      pos = skip(text, pos)
      c = text:sub(pos, pos)
      if c == "]" then return array, pos + 1 end
      if c ~= "," then decode_error(text, pos, "',' or ']' expected") end
      pos = pos + 1
    end
  elseif c == '"' then
    return decode_string(text, pos)
  elseif text:find("^true", pos) then
    return true, pos + 4
  elseif text:find("^false", pos) then
    return false, pos + 5
  elseif text:find("^null", pos) then
    return M.null, pos + 4
  end
  return decode_number(text, pos)
end

function M.decode(text)
  local value, pos = decode_value(text, 1)
  pos = skip(text, pos)
  if pos <= #text then decode_error(text, pos, "trailing characters") end
  return value
end

return M
