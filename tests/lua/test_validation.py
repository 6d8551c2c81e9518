"""Every validation rule, from Lua: the error code, the path, and that nothing reached the endpoint.

The client points at a recording loopback server; a validation failure must leave it with zero requests.
"""

import json
import os

import pytest

POOL = "us-east-1:00000000-0000-4000-8000-000000000001"
IDENTITY = "us-east-1:00000000-0000-4000-8000-000000000002"

# Defines `v` (a client on the recorder) and `bad(op, params, code, path, fragment)`, which asserts the call fails
# with that code and path, that the message holds the fragment, and that the error is local.
VALIDATION_PRELUDE = r"""
local v = cognitosync.new{endpoint = os.getenv("RECORDER"), maxRetries = 3}
function bad(op, params, code, path, fragment)
  local e = check_error(expect_error(v[op], v, params), code, path)
  if fragment then assert(e.message:find(fragment, 1, true), "message holds " .. fragment .. ": " .. e.message) end
  assert(e.statusCode == nil and e.retryable == false and e.retryCount == 0, tostring(e))
  assert(e.requestId == nil)
  assert(e.operation == op:sub(1, 1):upper() .. op:sub(2), tostring(e.operation))
  local line = tostring(e)
  assert(line:find(code, 1, true) and not line:find("\n"), "one readable line: " .. line)
  return e
end
"""

BASE = f'IdentityPoolId = "{POOL}", IdentityId = "{IDENTITY}", DatasetName = "d"'
UPDATE = BASE + ', SyncSessionToken = "t"'

CASES = [
    # (id, operation, params, code, path, message fragment)
    ("missing-label", "listRecords", f'{{IdentityPoolId = "{POOL}", IdentityId = "{IDENTITY}"}}',
     "MissingRequiredParameter", "params.DatasetName", None),
    ("missing-nested", "updateRecords",
     f'{{{UPDATE}, RecordPatches = {{{{Op = "replace", Key = "a", SyncCount = 0}}, {{Key = "b", SyncCount = 0}}}}}}',
     "MissingRequiredParameter", "params.RecordPatches[2].Op", None),
    ("missing-sync-count", "updateRecords", f'{{{UPDATE}, RecordPatches = {{{{Op = "remove", Key = "a"}}}}}}',
     "MissingRequiredParameter", "params.RecordPatches[1].SyncCount", None),
    ("missing-token", "updateRecords", f"{{{BASE}, RecordPatches = {{}}}}",
     "MissingRequiredParameter", "params.SyncSessionToken", None),
    ("nil-params", "listIdentityPoolUsage", "nil", None, None, None),  # no required member: must be accepted
    ("unexpected-suggest", "listRecords", f"{{{BASE}, MaxResult = 3}}",
     "UnexpectedParameter", "params.MaxResult", 'did you mean "MaxResults"'),
    ("unexpected-nested-suggest", "updateRecords",
     f'{{{UPDATE}, RecordPatches = {{{{Op = "replace", Key = "a", SyncCount = 0}}, '
     f'{{Op = "replace", Key = "b", SyncCount = 0, Vaule = "x"}}}}}}',
     "UnexpectedParameter", "params.RecordPatches[2].Vaule", 'did you mean "Value"'),
    ("unexpected-case", "describeIdentityPoolUsage", '{identityPoolId = "us-east-1:0"}',
     "UnexpectedParameter", "params.identityPoolId", 'did you mean "IdentityPoolId"'),
    ("type-function", "listRecords", f"{{{BASE}, NextToken = print}}",
     "InvalidParameterType", "params.NextToken", "function"),
    ("type-non-utf8", "listRecords", f'{{{BASE}, NextToken = "ab\\xff\\xfecd"}}',
     "InvalidParameterType", "params.NextToken", "UTF-8"),
    ("type-non-utf8-nested", "updateRecords",
     f'{{{UPDATE}, RecordPatches = {{{{Op = "replace", Key = "a", Value = "\\xc3\\x28", SyncCount = 0}}}}}}',
     "InvalidParameterType", "params.RecordPatches[1].Value", "UTF-8"),
    ("type-mixed-table", "updateRecords",
     f'{{{UPDATE}, RecordPatches = {{{{Op = "replace", Key = "a", SyncCount = 0}}, extra = 1}}}}',
     "InvalidParameterType", "params.RecordPatches", "mixes"),
    ("type-list-gap", "updateRecords",
     f'{{{UPDATE}, RecordPatches = {{[1] = {{Op = "remove", Key = "a", SyncCount = 0}}, '
     f'[3] = {{Op = "remove", Key = "b", SyncCount = 0}}}}}}',
     "InvalidParameterType", "params.RecordPatches", "gap"),
    ("type-string-for-list", "setIdentityPoolConfiguration",
     f'{{IdentityPoolId = "{POOL}", PushSync = {{ApplicationArns = "arn"}}}}',
     "InvalidParameterType", "params.PushSync.ApplicationArns", None),
    ("type-float-for-integer", "listRecords", f"{{{BASE}, MaxResults = 1.5}}",
     "InvalidParameterType", "params.MaxResults", None),
    ("type-huge-float-for-long", "listRecords", f"{{{BASE}, LastSyncCount = 2^63}}",
     "InvalidParameterType", "params.LastSyncCount", None),
    ("type-string-for-integer", "listRecords", f'{{{BASE}, MaxResults = "10"}}',
     "InvalidParameterType", "params.MaxResults", None),
    ("type-number-for-string", "listRecords", f'{{IdentityPoolId = "{POOL}", IdentityId = "{IDENTITY}", '
     "DatasetName = 5}", "InvalidParameterType", "params.DatasetName", None),
    ("type-sequence-for-map", "setCognitoEvents", f'{{IdentityPoolId = "{POOL}", Events = {{"arn"}}}}',
     "InvalidParameterType", "params.Events", None),
    ("type-map-value", "setCognitoEvents", f'{{IdentityPoolId = "{POOL}", Events = {{SyncTrigger = 5}}}}',
     "InvalidParameterType", 'params.Events["SyncTrigger"]', None),
    ("type-string-for-structure", "updateRecords", f'{{{UPDATE}, RecordPatches = {{"replace"}}}}',
     "InvalidParameterType", "params.RecordPatches[1]", None),
    ("type-bad-timestamp", "updateRecords",
     f'{{{UPDATE}, RecordPatches = {{{{Op = "replace", Key = "a", SyncCount = 0, '
     'DeviceLastModifiedDate = "yesterday"}}}',
     "InvalidParameterType", "params.RecordPatches[1].DeviceLastModifiedDate", None),
    ("type-impossible-date", "updateRecords",
     f'{{{UPDATE}, RecordPatches = {{{{Op = "replace", Key = "a", SyncCount = 0, '
     'DeviceLastModifiedDate = "2026-13-02T03:04:05Z"}}}',
     "InvalidParameterType", "params.RecordPatches[1].DeviceLastModifiedDate", None),
    ("type-boolean-key", "listRecords", f"{{{BASE}, [true] = 1}}", "InvalidParameterType", "params", None),
    ("min-length-label", "listRecords", f'{{IdentityPoolId = "{POOL}", IdentityId = "{IDENTITY}", '
     'DatasetName = ""}', "MinLengthError", "params.DatasetName", None),
    ("min-length-nested", "updateRecords",
     f'{{{UPDATE}, RecordPatches = {{{{Op = "remove", Key = "", SyncCount = 0}}}}}}',
     "MinLengthError", "params.RecordPatches[1].Key", None),
    ("min-length-device", "subscribeToDataset", f'{{{BASE}, DeviceId = ""}}',
     "MinLengthError", "params.DeviceId", None),
    ("min-length-role", "setIdentityPoolConfiguration",
     f'{{IdentityPoolId = "{POOL}", PushSync = {{RoleArn = "arn:aws:iam::1:role"}}}}',
     "MinLengthError", "params.PushSync.RoleArn", None),
    ("max-length-label", "listRecords", f'{{IdentityPoolId = "{POOL}", IdentityId = "{IDENTITY}", '
     'DatasetName = string.rep("a", 129)}', "MaxLengthError", "params.DatasetName", "128"),
    ("max-length-pool", "describeIdentityPoolUsage", '{IdentityPoolId = "us-east-1:" .. string.rep("a", 46)}',
     "MaxLengthError", "params.IdentityPoolId", "55"),
    ("max-length-value", "updateRecords",
     f'{{{UPDATE}, RecordPatches = {{{{Op = "replace", Key = "a", SyncCount = 0, '
     'Value = string.rep("v", 1048576)}}}',
     "MaxLengthError", "params.RecordPatches[1].Value", "1048575"),
    ("max-length-key-utf8", "updateRecords",
     f'{{{UPDATE}, RecordPatches = {{{{Op = "replace", Key = string.rep("é", 1025), SyncCount = 0}}}}}}',
     "MaxLengthError", "params.RecordPatches[1].Key", "1024"),
    ("max-entries-map", "setCognitoEvents",
     f'{{IdentityPoolId = "{POOL}", Events = {{SyncTrigger = "a", Other = "b"}}}}',
     "MaxLengthError", "params.Events", None),
    ("pattern-label", "listRecords", f'{{IdentityPoolId = "{POOL}", IdentityId = "{IDENTITY}", '
     'DatasetName = "bad name"}', "PatternMatchError", "params.DatasetName", None),
    ("pattern-pool", "bulkPublish", '{IdentityPoolId = "no-colon-here"}', "PatternMatchError",
     "params.IdentityPoolId", None),
    ("pattern-list-item", "setIdentityPoolConfiguration",
     f'{{IdentityPoolId = "{POOL}", PushSync = {{ApplicationArns = '
     '{"arn:aws:sns:us-east-1:123456789012:app/GCM/ok", "nope"}}}',
     "PatternMatchError", "params.PushSync.ApplicationArns[2]", None),
    ("pattern-role", "setIdentityPoolConfiguration",
     f'{{IdentityPoolId = "{POOL}", CognitoStreams = {{RoleArn = "arn:aws:iam::123456789012:user/someone"}}}}',
     "PatternMatchError", "params.CognitoStreams.RoleArn", None),
    ("enum-platform", "registerDevice", f'{{IdentityPoolId = "{POOL}", IdentityId = "{IDENTITY}", '
     'Platform = "IOS", Token = "t"}', "EnumError", "params.Platform", "APNS"),
    ("enum-nested", "updateRecords",
     f'{{{UPDATE}, RecordPatches = {{{{Op = "replace", Key = "a", SyncCount = 0}}, '
     '{Op = "Replace", Key = "b", SyncCount = 0}}}',
     "EnumError", "params.RecordPatches[2].Op", "replace"),
    ("enum-streaming", "setIdentityPoolConfiguration",
     f'{{IdentityPoolId = "{POOL}", CognitoStreams = {{StreamingStatus = "ON"}}}}',
     "EnumError", "params.CognitoStreams.StreamingStatus", None),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_validation_rule(run_lua, recorder, case):
    _, op, params, code, path, fragment = case
    if code is None:
        script = VALIDATION_PRELUDE + f"local r = v:{op}({params})\nassert(type(r) == 'table')\nprint('sent')\n"
    else:
        fragment_literal = "nil" if fragment is None else repr(fragment)
        script = VALIDATION_PRELUDE + f"bad({op!r}, {params}, {code!r}, {path!r}, {fragment_literal})\n"
        script += "print('rejected')\n"
    status, out, err = run_lua(script, env={"RECORDER": recorder.url})
    assert status == 0, err
    if code is None:
        assert out == "sent\n"
        assert recorder.count() == 1
    else:
        assert out == "rejected\n"
        assert recorder.count() == 0, "a request was sent despite the validation error"


def test_validation_errors_never_touch_the_network(run_lua, dead_url):
    # Nothing listens on dead_url: a request would give NetworkingError, so each code proves nothing was sent.
    status, out, err = run_lua(r"""
local v = cognitosync.new{endpoint = os.getenv("DEAD"), maxRetries = 0}
local e = expect_error(v.listRecords, v, {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "bad name"})
check_error(e, "PatternMatchError", "params.DatasetName")
e = expect_error(v.updateRecords, v, {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d",
  SyncSessionToken = "t", RecordPatches = {{Op = "replace", Key = "k", SyncCount = 0}, {Op = "bogus", Key = "k",
  SyncCount = 0}}})
check_error(e, "EnumError", "params.RecordPatches[2].Op")
e = expect_error(v.listRecords, v, {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"})
check_error(e, "NetworkingError")
assert(e.path == nil and e.retryCount == 0)
print("ok")
""", env={"DEAD": dead_url})
    assert status == 0, err
    assert out == "ok\n"


def test_empty_tables_are_empty_lists_maps_and_structures(run_lua, recorder):
    status, out, err = run_lua(r"""
local v = cognitosync.new{endpoint = os.getenv("RECORDER"), maxRetries = 0}
v:updateRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d", SyncSessionToken = "t", RecordPatches = {}}
v:setIdentityPoolConfiguration{IdentityPoolId = POOL, PushSync = {ApplicationArns = {}}, CognitoStreams = {}}
v:setCognitoEvents{IdentityPoolId = POOL, Events = {}}
print("ok")
""", env={"RECORDER": recorder.url})
    assert status == 0, err
    assert out == "ok\n"
    bodies = [request.json() for request in recorder.requests]
    assert bodies[0] == {"RecordPatches": [], "SyncSessionToken": "t"}
    assert bodies[1] == {"PushSync": {"ApplicationArns": []}, "CognitoStreams": {}}
    assert bodies[2] == {"Events": {}}


def test_iso8601_timestamps_are_accepted(run_lua, recorder):
    stamps = {
        "2026-01-02T03:04:05Z": 1767323045,
        "2026-01-02T03:04:05.250Z": 1767323045.25,
        "2026-01-02T05:04:05+02:00": 1767323045,
        "2026-01-01T22:04:05-05:00": 1767323045,
    }
    patches = ", ".join(
        f'{{Op = "replace", Key = "k{i}", Value = "v", SyncCount = 0, DeviceLastModifiedDate = "{stamp}"}}'
        for i, stamp in enumerate(stamps))
    status, out, err = run_lua(f"""
local v = cognitosync.new{{endpoint = os.getenv("RECORDER"), maxRetries = 0}}
v:updateRecords{{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d", SyncSessionToken = "t",
  RecordPatches = {{{patches}, {{Op = "remove", Key = "n", SyncCount = 0, DeviceLastModifiedDate = 1767323045}}}}}}
print("ok")
""", env={"RECORDER": recorder.url})
    assert status == 0, err
    sent = recorder.requests[0].json()["RecordPatches"]
    expected = list(stamps.values()) + [1767323045]
    # The wire carries epoch seconds; botocore's rest-json serialiser sends whole seconds, so allow either form.
    for patch, epoch in zip(sent, expected):
        assert patch["DeviceLastModifiedDate"] in (epoch, int(epoch)), (patch, epoch)


def test_no_numeric_range_in_model_so_negative_numbers_reach_the_server(run_lua, local_endpoint):
    # MinRangeError exists in the validator, but no member of the Cognito Sync model has a numeric min or max,
    # so a negative LastSyncCount must pass validation and be judged by the service.
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(root, "models", "cognito-sync-2014-06-30.service.json")) as f:
        model = json.load(f)
    numeric = [name for name, shape in model["shapes"].items() if shape["type"] in ("integer", "long")]
    assert numeric and not any("min" in model["shapes"][name] or "max" in model["shapes"][name] for name in numeric)
    status, out, err = run_lua(r"""
local e = expect_error(cs.listRecords, cs, {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d",
  LastSyncCount = -1})
check_error(e, "InvalidParameterException")
assert(e.statusCode == 400 and e.path == nil)
print("ok")
""")
    assert status == 0, err
    assert out == "ok\n"


def test_param_validation_option_turns_checks_off(run_lua, recorder):
    status, out, err = run_lua(r"""
local off = cognitosync.new{endpoint = os.getenv("RECORDER"), maxRetries = 0, paramValidation = false}
off:listRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "bad name"}
-- As in the JavaScript SDK, a table enables only the checks set to true.
local nopattern = cognitosync.new{endpoint = os.getenv("RECORDER"), maxRetries = 0,
  paramValidation = {min = true, max = true, pattern = false}}
nopattern:listRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "bad name"}
check_error(expect_error(nopattern.listRecords, nopattern, {IdentityPoolId = POOL, IdentityId = ID,
  DatasetName = string.rep("a", 129)}), "MaxLengthError", "params.DatasetName")
print("ok")
""", env={"RECORDER": recorder.url})
    assert status == 0, err
    assert out == "ok\n"
    assert recorder.count() == 2
    assert all("/datasets/bad%20name/records" in request.path for request in recorder.requests)


def test_unknown_client_option_is_an_error_with_suggestion(run_lua):
    status, out, err = run_lua(r"""
local e = check_error(expect_error(cognitosync.new, {regoin = "eu-west-1"}), "UnexpectedParameter", "options.regoin")
assert(e.message:find('did you mean "region"', 1, true), e.message)
e = check_error(expect_error(cognitosync.new, {maxRetires = 2}), "UnexpectedParameter", "options.maxRetires")
assert(e.message:find('did you mean "maxRetries"', 1, true), e.message)
e = check_error(expect_error(cognitosync.new, {httpOptions = {timout = 1}}), "UnexpectedParameter",
  "options.httpOptions.timout")
assert(e.message:find("timeout", 1, true), e.message)
check_error(expect_error(cognitosync.new, {maxRetries = "3"}), "InvalidParameterType", "options.maxRetries")
check_error(expect_error(cognitosync.new, {region = 5}), "InvalidParameterType", "options.region")
print("ok")
""")
    assert status == 0, err
    assert out == "ok\n"


def test_client_option_error_message_names_the_option(run_lua):
    # DESIGN §3: "The message names the path". For params it does; for client options the message and the
    # one-line __tostring leave the option out ("UnexpectedParameter: unknown option (did you mean ...)").
    status, out, err = run_lua(r"""
local e = expect_error(cognitosync.new, {regoin = "eu-west-1"})
assert(tostring(e):find("regoin", 1, true), "tostring does not name the option: " .. tostring(e))
e = expect_error(cognitosync.new, {maxRetries = "3"})
assert(tostring(e):find("maxRetries", 1, true), "tostring does not name the option: " .. tostring(e))
print("ok")
""")
    assert status == 0, err
    assert out == "ok\n"


def test_unknown_operation_in_make_request(run_lua, recorder):
    status, out, err = run_lua(r"""
local v = cognitosync.new{endpoint = os.getenv("RECORDER"), maxRetries = 0}
local e = check_error(expect_error(v.makeRequest, v, "listRecordz", {}), "UnknownOperation")
assert(e.message:find('did you mean "listRecords"', 1, true), e.message)
e = check_error(expect_error(v.makeRequest, v, "frobnicate", {}), "UnknownOperation")
assert(e.message:find("frobnicate", 1, true))
e = check_error(expect_error(v.makeRequest, v, "describeDataset", {IdentityPoolId = POOL, DatasetName = "d"}),
  "MissingRequiredParameter", "params.IdentityId")
print("ok")
""", env={"RECORDER": recorder.url})
    assert status == 0, err
    assert out == "ok\n"
    assert recorder.count() == 0


def test_uncaught_validation_error_fails_the_script_before_sending(run_lua, recorder):
    status, out, err = run_lua(r"""
local v = cognitosync.new{endpoint = os.getenv("RECORDER")}
print("before")
v:updateRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d", SyncSessionToken = "t",
  RecordPatches = {{Op = "replace", Key = "a", SyncCount = 0}, {Op = "rename", Key = "b", SyncCount = 0}}}
print("after")
""", env={"RECORDER": recorder.url})
    assert status == 1
    assert out == "before\n"
    assert err.startswith("cogsync-lua: EnumError: ")
    assert "params.RecordPatches[2].Op" in err
    assert "stack traceback" in err
    assert recorder.count() == 0


@pytest.mark.parametrize("case", [case for case in CASES if case[3]], ids=[case[0] for case in CASES if case[3]])
def test_validation_message_names_the_path(run_lua, recorder, case):
    # DESIGN §3: "The message names the path". The rules checked after conversion do; the errors raised while
    # converting Lua values (function value, non-UTF-8 string, mixed table, list gap, non-string key) do not,
    # so an uncaught one reads e.g. "InvalidParameterType: list has a gap: index 2 is missing [UpdateRecords]".
    _, op, params, code, path, _ = case
    script = VALIDATION_PRELUDE + f"""
local e = bad({op!r}, {params}, {code!r}, {path!r})
assert(e.message:find({path!r}, 1, true), "message does not name " .. {path!r} .. ": " .. e.message)
assert(tostring(e):find({path!r}, 1, true))
print("named")
"""
    status, out, err = run_lua(script, env={"RECORDER": recorder.url})
    assert status == 0, err
    assert out == "named\n"
