-- Lists of identity ids. read(path) reads them from a file: either one id per line (blank lines and lines
-- starting with # are skipped), or the JSON that `aws cognito-identity list-identities` prints:
--   {"IdentityPoolId": "...", "Identities": [{"IdentityId": "us-east-1:...", ...}, ...], "NextToken": "..."}
-- Several such documents in one file (pages saved one after another) are read too. Ids are returned in
-- file order, each once. list(client, pool) asks Cognito Identity for every identity of the pool, and
-- chosen(opts) gives a script's identities: every one of the pool opts.pool with --all (opts.all), else those of
-- the file opts.identities.
local json = require("lib.json")

local M = {}

local function add(ids, seen, id)
  if not seen[id] then
    seen[id] = true
    ids[#ids + 1] = id
  end
end

-- Splits concatenated JSON documents at the top level (`}{` with optional whitespace between).
local function documents(text)
  local docs, depth, start, in_string, escaped = {}, 0, nil, false, false
  for i = 1, #text do
    local c = text:sub(i, i)
    if in_string then
      if escaped then escaped = false
      elseif c == "\\" then escaped = true
      elseif c == '"' then in_string = false end
    elseif c == '"' then
      in_string = true
    elseif c == "{" or c == "[" then
      if depth == 0 then start = i end
      depth = depth + 1
    elseif c == "}" or c == "]" then
      depth = depth - 1
      if depth == 0 then docs[#docs + 1] = text:sub(start, i) end
    end
  end
  return docs
end

function M.read(path)
  local file, err = io.open(path, "r")
  if not file then error("cannot read identities: " .. err, 2) end
  local text = file:read("a")
  file:close()
  local ids, seen = {}, {}
  if text:match("^%s*[{%[]") then
    for _, doc in ipairs(documents(text)) do
      local value = json.decode(doc)
      local list = value.Identities or value
      for _, entry in ipairs(list) do
        local id = type(entry) == "table" and entry.IdentityId or entry
        if type(id) ~= "string" then error(path .. ": an identity without IdentityId", 2) end
        add(ids, seen, id)
      end
    end
  else
    for line in text:gmatch("[^\r\n]+") do
      local id = line:match("^%s*(.-)%s*$")
      if id ~= "" and id:sub(1, 1) ~= "#" then add(ids, seen, id) end
    end
  end
  return ids
end

-- Every identity of the pool, in the order ListIdentities gives them, 60 a page (the most it allows).
-- `client` is a cognitoidentity client.
function M.list(client, pool)
  local ids, seen = {}, {}
  for identity in client:items("listIdentities", { IdentityPoolId = pool, MaxResults = 60 }) do
    add(ids, seen, identity.IdentityId)
  end
  return ids
end

-- The identities an example script works on: with --all, every identity of the pool in id order (so two runs see
-- them in the same order), else the IDENTITIES file's.
function M.chosen(opts)
  if not opts.all then return M.read(opts.identities) end
  local ids = M.list(require("cognitoidentity").new{}, opts.pool)
  table.sort(ids)
  return ids
end

return M
