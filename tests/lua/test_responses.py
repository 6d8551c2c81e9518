"""Bad and awkward responses from a loopback server: each gives a well-formed Lua error object, never a crash."""

import threading

import pytest

# Defines `call(maxRetries)`, a listRecords against the recorder that must fail, returning the error object after
# checking the fields every error object carries.
RESPONSE_PRELUDE = r"""
function call(maxRetries, extra)
  local options = {endpoint = os.getenv("RECORDER"), maxRetries = maxRetries}
  for k, v in pairs(extra or {}) do options[k] = v end
  local c = cognitosync.new(options)
  local e = expect_error(c.listRecords, c, {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"})
  assert(type(e) == "table" and type(e.code) == "string" and type(e.message) == "string", tostring(e))
  assert(type(e.retryable) == "boolean" and math.type(e.retryCount) == "integer")
  assert(e.operation == "ListRecords" and e.path == nil)
  local line = tostring(e)
  assert(line:find(e.code, 1, true) and not line:find("\n"), line)
  return e
end
"""


def run_case(run_lua, recorder, body):
    status, out, err = run_lua(RESPONSE_PRELUDE + body + '\nprint("ok")\n', env={"RECORDER": recorder.url})
    assert status == 0, err
    assert out == "ok\n"
    assert "Fatal error" not in err and "Segmentation" not in err


def test_non_json_200_body(run_lua, recorder):
    recorder.answer(200, "<html>not json</html>", {"Content-Type": "text/html", "x-amzn-RequestId": "req-1"})
    run_case(run_lua, recorder, r"""
local e = call(2)
assert(e.code == "InvalidResponse", e.code)
assert(e.statusCode == 200 and e.retryable == false and e.retryCount == 0)
assert(e.requestId == "req-1", tostring(e.requestId))
assert(e.message:find("JSON"), e.message)
""")
    assert recorder.count() == 1


@pytest.mark.parametrize("body, where", [
    ('{"Count": "three", "Records": []}', "Count"),
    ('{"Records": "x"}', "Records"),
    ('{"Records": [{"Key": "k", "SyncCount": "1"}]}', "SyncCount"),
    ('{"Records": [{"Key": 5}]}', "Key"),
    ('{"DatasetExists": "yes"}', "DatasetExists"),
    ('{"Records": [{"Key": "k", "LastModifiedDate": "yesterday"}]}', "LastModifiedDate"),
    ('{"Count": 9223372036854775808}', "Count"),
    ("null", None),
    ("[1, 2]", None),
    ('{"Count": 1', None),
], ids=["string-for-integer", "string-for-list", "nested-string-for-long", "number-for-string",
        "string-for-boolean", "bad-timestamp", "integer-overflow", "null-body", "array-body", "truncated-json"])
def test_field_of_the_wrong_type(run_lua, recorder, body, where):
    recorder.answer(200, body)
    run_case(run_lua, recorder, f"""
local e = call(1)
assert(e.code == "InvalidResponse", tostring(e))
assert(e.statusCode == 200 and e.retryable == false and e.retryCount == 0)
local where = {"nil" if where is None else repr(where)}
if where then assert(e.message:find(where, 1, true), "message names the field: " .. e.message) end
""")
    assert recorder.count() == 1


def test_unknown_and_null_fields_are_ignored(run_lua, recorder):
    recorder.answer(200, '{"Count": null, "Records": [{"Key": "k", "Future": {"a": [1]}}], "NewThing": true}')
    run_case(run_lua, recorder, r"""
local c = cognitosync.new{endpoint = os.getenv("RECORDER"), maxRetries = 0}
local r = c:listRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"}
assert(r.Count == nil and r.NewThing == nil)
assert(#r.Records == 1 and r.Records[1].Key == "k" and r.Records[1].Future == nil)
""")


def test_empty_500_body_is_retried_then_reported(run_lua, recorder):
    recorder.answer(500, "", {"Content-Type": "text/plain"})
    run_case(run_lua, recorder, r"""
local e = call(2, {retryDelayOptions = {base = 10}})
assert(e.code == "Http500", e.code)
assert(e.statusCode == 500 and e.retryable == true and e.retryCount == 2, tostring(e))
""")
    assert recorder.count() == 3


def test_html_502_from_a_proxy(run_lua, recorder):
    recorder.answer(502, "<html><body>Bad Gateway</body></html>", {"Content-Type": "text/html"})
    run_case(run_lua, recorder, r"""
local e = call(1, {retryDelayOptions = {base = 10}})
assert(e.code == "Http502" and e.statusCode == 502 and e.retryable == true and e.retryCount == 1, tostring(e))
""")
    assert recorder.count() == 2


def test_non_json_400_body(run_lua, recorder):
    recorder.answer(400, "Bad Request", {"Content-Type": "text/plain"})
    run_case(run_lua, recorder, r"""
local e = call(3)
assert(e.code == "Http400" and e.statusCode == 400 and e.retryable == false and e.retryCount == 0, tostring(e))
""")
    assert recorder.count() == 1


@pytest.mark.parametrize("body", [
    '{"__type": "InvalidParameterException"}',
    '{"__type": "com.amazonaws.cognito.sync.model#InvalidParameterException"}',
])
def test_error_with_only_type(run_lua, recorder, body):
    recorder.answer(400, body)
    run_case(run_lua, recorder, r"""
local e = call(3)
assert(e.code == "InvalidParameterException", e.code)
assert(e.statusCode == 400 and e.retryable == false and e.retryCount == 0)
assert(#e.message > 0)
""")
    assert recorder.count() == 1


def test_error_type_header_with_colon_suffix(run_lua, recorder):
    recorder.answer(409, '{"message": "Current SyncCount for: k is: 3 not: 2"}', {
        "x-amzn-ErrorType": "ResourceConflictException:http://internal.amazon.com/coral/com.amazonaws.cognito.sync/",
        "x-amzn-RequestId": "11111111-2222-3333-4444-555555555555"})
    run_case(run_lua, recorder, r"""
local e = call(3)
assert(e.code == "ResourceConflictException", e.code)
assert(e.message == "Current SyncCount for: k is: 3 not: 2", e.message)
assert(e.statusCode == 409 and e.retryable == false and e.retryCount == 0)
assert(e.requestId == "11111111-2222-3333-4444-555555555555")
local line = tostring(e)
assert(line:find("ResourceConflictException", 1, true) and line:find("409", 1, true), line)
""")
    assert recorder.count() == 1, "a conflict is never retried"


@pytest.mark.parametrize("body, code", [
    ('{"code": "LimitExceededException", "message": "too many"}', "LimitExceededException"),
    ('{"__type": "NotAuthorizedException", "Message": "capital M"}', "NotAuthorizedException"),
])
def test_error_code_and_message_from_body(run_lua, recorder, body, code):
    recorder.answer(400, body)
    run_case(run_lua, recorder, f"""
local e = call(3)
assert(e.code == {code!r}, e.code)
assert(e.message == ({body!r}):match('"[Mm]essage": "([^"]*)"'), e.message)
assert(e.statusCode == 400 and e.retryable == false and e.retryCount == 0)
""")
    assert recorder.count() == 1


def test_429_with_retry_after_is_honoured(run_lua, recorder):
    recorder.answer(429, '{"message": "Rate exceeded"}',
                    {"Retry-After": "1", "x-amzn-ErrorType": "TooManyRequestsException"})
    run_case(run_lua, recorder, r"""
local e = call(1, {retryDelayOptions = {base = 1}, retryMode = "standard"})
assert(e.code == "TooManyRequestsException", e.code)
assert(e.statusCode == 429 and e.retryable == true and e.retryCount == 1, tostring(e))
assert(e.message == "Rate exceeded")
""")
    first, second = recorder.requests
    assert second.when - first.when >= 0.9, "Retry-After: 1 was not honoured"
    # Each attempt is signed when it is sent: a second later the date and the signature differ.
    assert first.headers["X-Amz-Date"] != second.headers["X-Amz-Date"]
    assert first.headers["Authorization"] != second.headers["Authorization"]


def test_throttle_then_success(run_lua, recorder):
    answers = [(429, {"x-amzn-ErrorType": "LambdaThrottledException"}, '{"message": "slow"}'),
               (503, {}, ""),
               (200, {}, '{"Count": 0, "Records": [], "DatasetSyncCount": 7}')]
    recorder.respond = lambda request: answers[min(recorder.count(), len(answers)) - 1]
    run_case(run_lua, recorder, r"""
local c = cognitosync.new{endpoint = os.getenv("RECORDER"), maxRetries = 3, retryDelayOptions = {base = 5}}
local r = c:listRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"}
assert(r.DatasetSyncCount == 7 and math.type(r.DatasetSyncCount) == "integer")
""")
    assert recorder.count() == 3


def test_custom_backoff_sees_retry_count_and_error(run_lua, recorder):
    recorder.answer(503, '{"message": "down"}', {"x-amzn-ErrorType": "InternalErrorException"})
    run_case(run_lua, recorder, r"""
local seen = {}
local e = call(3, {retryDelayOptions = {customBackoff = function(retryCount, err)
  seen[#seen + 1] = retryCount .. ":" .. err.code
  return 1
end}})
assert(e.code == "InternalErrorException" and e.retryCount == 3 and e.statusCode == 503)
assert(table.concat(seen, ",") == "0:InternalErrorException,1:InternalErrorException,2:InternalErrorException",
  table.concat(seen, ","))
""")
    assert recorder.count() == 4


def test_dropped_connection_is_a_retryable_networking_error(run_lua, recorder):
    recorder.respond = lambda request: None
    run_case(run_lua, recorder, r"""
local e = call(2, {retryDelayOptions = {base = 5}})
assert(e.code == "NetworkingError", tostring(e))
assert(e.statusCode == nil and e.retryable == true and e.retryCount == 2, tostring(e))
""")
    assert recorder.count() == 3


def test_slow_response_times_out(run_lua, recorder):
    # No answer comes while the call waits, so only its timeout can end it (the 120 s default would outlast the run).
    ended = threading.Event()

    def never(request):
        ended.wait(60)

    recorder.respond = never
    try:
        run_case(run_lua, recorder, r"""
-- As in the JavaScript SDK, httpOptions.timeout is in milliseconds.
local e = call(0, {httpOptions = {timeout = 300}})
assert(e.code == "TimeoutError", tostring(e))
assert(e.retryCount == 0 and e.retryable == true)
-- curl's own count of how long the exchange ran; its timer can report a millisecond or so short of the limit.
local waited = tonumber(e.message:match("Operation timed out after (%d+) milliseconds"))
assert(waited and waited >= 270, e.message)
""")
    finally:
        ended.set()
    assert recorder.count() == 1


def test_empty_200_body_for_operation_without_output(run_lua, recorder):
    recorder.answer(200, "", {})
    run_case(run_lua, recorder, r"""
local c = cognitosync.new{endpoint = os.getenv("RECORDER"), maxRetries = 0}
local r = c:setCognitoEvents{IdentityPoolId = POOL, Events = {}}
assert(type(r) == "table" and next(r) == nil)
""")
