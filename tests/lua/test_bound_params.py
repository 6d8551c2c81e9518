"""A client's bound params fill in the members of an operation's input that a call leaves unset. For plain tables the
host does it, with no merged table made; tables with metatables (whose `pairs` may run `__pairs`) and bound params
that are not tables go through the module's Lua merge. Every route (an operation method, makeRequest) must send the
request a client without bound params sends for the params merged in Lua by the documented rule, or raise the same
error."""

import json

SCRIPT = r"""
local cs = cognitosync.new{endpoint = os.getenv("RECORDER"), maxRetries = 0}
local plain = cognitosync.new{endpoint = os.getenv("RECORDER"), maxRetries = 0}
local function outcome(ok, e)
  if ok then return "sent" end
  if type(e) == "table" then return ("%s|%s|%s"):format(e.code, tostring(e.path), e.message) end
  return "raised|" .. tostring(e):gsub("^.-:%d+: ", "")
end
-- The input's members, from the operation's description.
local function members(op)
  local names, inside = {}, false
  for line in (cognitosync.describe(op) .. "\n"):gmatch("(.-)\n") do
    if line:find("^Parameters") then inside = true
    elseif inside and line == "" then break
    elseif inside and line:match("^  (%w+):") then names[line:match("^  (%w+):")] = true end
  end
  return names
end
-- The documented rule, in Lua: the call's own params, then each bound one that names a member and is unset;
-- params that are not a table go as they are, for the call to report.
local function merged(bound, params, op)
  if params ~= nil and type(params) ~= "table" then return params end
  local out, names = {}, members(op)
  for k, v in pairs(params or {}) do out[k] = v end
  for k, v in pairs(bound) do
    if names[k] and out[k] == nil then out[k] = v end
  end
  return out
end
-- Each case: the client's bound params, the operation, the call's params (a function, so each route gets its own).
local function case(name, bound, op, params)
  cs.params = bound
  local method = outcome(pcall(cs[op], cs, params()))
  local generic = outcome(pcall(cs.makeRequest, cs, op, params()))
  local reference = outcome(pcall(function() return plain:makeRequest(op, merged(bound, params(), op)) end))
  print(name, method, generic, reference)
end
local pool, id = POOL, ID
local with_pairs = function(meta)
  return setmetatable({}, {__metatable = meta, __pairs = function() return next, {IdentityId = id}, nil end})
end
case("fills", {IdentityPoolId = pool, DatasetName = "d"}, "listRecords", function() return {IdentityId = id} end)
case("call wins", {IdentityPoolId = pool, IdentityId = "us-east-1:0-0", DatasetName = "d"}, "listRecords",
  function() return {IdentityId = id, DatasetName = "mine", MaxResults = 5} end)
case("no params", {IdentityPoolId = pool, IdentityId = id}, "listDatasets", function() return nil end)
case("false wins", {IdentityPoolId = pool, IdentityId = id, DatasetName = "d", SyncSessionToken = "t",
  ClientContext = "ctx"}, "updateRecords", function() return {ClientContext = false} end)
case("body", {IdentityPoolId = pool, IdentityId = id, DatasetName = "d", DeviceId = "dev"}, "updateRecords",
  function() return {SyncSessionToken = "tok", RecordPatches = {{Op = "replace", Key = "k", Value = "v", SyncCount = 0}}} end)
case("other members", {IdentityPoolId = pool, IdentityId = id, Nonsense = 1, [1] = "x"}, "listDatasets",
  function() return {} end)
case("unknown in call", {IdentityPoolId = pool}, "listDatasets", function() return {IdentityId = id, Nonsense = 1} end)
case("bad bound value", {IdentityPoolId = pool, IdentityId = 5}, "listDatasets", function() return {} end)
case("required missing", {DatasetName = "d"}, "listRecords", function() return {IdentityId = id} end)
case("__pairs", {IdentityPoolId = pool}, "listDatasets", function() return with_pairs(nil) end)
case("__metatable false", {IdentityPoolId = pool}, "listDatasets", function() return with_pairs(false) end)
case("bound __pairs", with_pairs(nil), "listDatasets", function() return {IdentityPoolId = pool} end)
case("bound not a table", true, "listDatasets", function() return {IdentityPoolId = pool, IdentityId = id} end)
case("params not a table", {IdentityPoolId = pool}, "listDatasets", function() return "x" end)
"""


def test_the_host_fills_bound_params_exactly_as_the_lua_merge_does(run_lua, recorder, base_env):
    identity = base_env["TEST_IDENTITY"].replace(":", "%3A")
    recorder.answer(200, "{}")
    code, out, err = run_lua(SCRIPT, env={"RECORDER": recorder.url})
    assert code == 0, err
    rows = [line.split("\t") for line in out.splitlines()]
    results = {name: (method, generic, reference) for name, method, generic, reference in rows}
    assert len(results) == 14, out
    for name, (method, generic, reference) in results.items():
        assert method == generic == reference, "%s: the method gave %r, makeRequest %r, the Lua merge %r" % (
            name, method, generic, reference)
    sent = [name for name, (method, _, _) in results.items() if method == "sent"]
    assert sent == ["fills", "call wins", "no params", "body", "other members", "__pairs", "__metatable false",
                    "bound __pairs"], results
    # Requests come in threes, the method's, makeRequest's and the reference's: the same request line and body.
    requests = recorder.requests
    assert len(requests) == 3 * len(sent)
    for index, name in enumerate(sent):
        by_method, by_generic, by_reference = requests[3 * index:3 * index + 3]
        for other_route in (by_generic, by_reference):
            assert (by_method.method, by_method.path) == (other_route.method, other_route.path), name
            assert by_method.json() == other_route.json(), name
    fills, call_wins, no_params, body, other, with_pairs, hidden_pairs, bound_pairs = requests[::3]
    assert fills.path.endswith("/identities/%s/datasets/d/records" % identity), fills.path
    assert "/datasets/mine/records?maxResults=5" in call_wins.path, call_wins.path
    assert no_params.path.endswith("/identities/%s/datasets" % identity), no_params.path
    assert json.loads(body.body)["DeviceId"] == "dev"
    assert other.path.endswith("/identities/%s/datasets" % identity), other.path
    # __pairs is honoured (its IdentityId reaches the path), also when __metatable hides the metatable, and on the
    # bound params.
    for request in (with_pairs, hidden_pairs, bound_pairs):
        assert identity in request.path, request.path
    assert results["false wins"][0].startswith("InvalidParameterType|params.ClientContext|"), results
    assert results["bad bound value"][0].startswith("InvalidParameterType|params.IdentityId|"), results
    assert results["unknown in call"][0].startswith("UnexpectedParameter|params.Nonsense|"), results
    assert results["required missing"][0].startswith("MissingRequiredParameter|params.IdentityPoolId|"), results
    assert results["bound not a table"][0].startswith("raised|bad argument #1 to 'for iterator' (table expected"), \
        results
    assert results["params not a table"][0].startswith("InvalidParameterType|params|"), results
