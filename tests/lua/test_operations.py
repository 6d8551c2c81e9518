"""Every operation from Lua against cogsync-local, with the types of DESIGN.md §3 checked in the script."""

import json

from testkit import start_endpoint  # noqa: F401 (a fixture)

ISO_STAMP = "2026-01-02T03:04:05Z"
ISO_EPOCH = 1767323045  # calendar.timegm of ISO_STAMP


def test_all_17_operations_return_typed_results(run_lua):
    code, out, err = run_lua(r"""
local called = {}
local function call(op, params)
  called[op] = true
  return cs[op](cs, params)
end
local function is_int(v) return math.type(v) == "integer" end
local function is_empty(t) return type(t) == "table" and next(t) == nil end
local function is_seq(t, n)
  if type(t) ~= "table" or #t ~= n then return false end
  local count = 0
  for _ in pairs(t) do count = count + 1 end
  return count == n
end

local page = call("listRecords", {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "settings"})
assert(is_int(page.Count) and page.Count == 0, "Count")
assert(is_int(page.DatasetSyncCount) and page.DatasetSyncCount == 0, "DatasetSyncCount")
assert(page.DatasetExists == false, "DatasetExists is a boolean false")
assert(page.DatasetDeletedAfterRequestedSyncCount == false)
assert(is_empty(page.Records), "no records is an empty table")
assert(type(page.SyncSessionToken) == "string" and #page.SyncSessionToken > 0)

local up = call("updateRecords", {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "settings",
  SyncSessionToken = page.SyncSessionToken, DeviceId = "device-1",
  RecordPatches = {
    {Op = "replace", Key = "color", Value = "blue", SyncCount = 0, DeviceLastModifiedDate = "ISO_STAMP"},
    {Op = "replace", Key = "size", Value = "", SyncCount = 0, DeviceLastModifiedDate = 1700000000},
    {Op = "replace", Key = "ключ ✓", Value = "värde", SyncCount = 0},
  }})
assert(is_seq(up.Records, 3), "updateRecords returns a sequence of 3")
local byKey = {}
for _, r in ipairs(up.Records) do
  byKey[r.Key] = r
  assert(is_int(r.SyncCount) and r.SyncCount == 1, "SyncCount integer 1")
  assert(type(r.LastModifiedDate) == "number", "LastModifiedDate is a number")
  assert(math.abs(r.LastModifiedDate - os.time()) < 120, "LastModifiedDate is epoch seconds now")
  assert(type(r.LastModifiedBy) == "string")
end
assert(byKey.color.Value == "blue")
assert(byKey.color.DeviceLastModifiedDate == ISO_EPOCH, "ISO-8601 input round-trips as epoch seconds")
assert(byKey.size.Value == "" and byKey.size.DeviceLastModifiedDate == 1700000000)
assert(byKey["ключ ✓"].Value == "värde", "UTF-8 keys and values round-trip")
assert(byKey["ключ ✓"].DeviceLastModifiedDate == nil)

local again = call("listRecords", {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "settings"})
assert(again.DatasetExists == true and again.DatasetSyncCount == 1 and again.Count == 3)
assert(is_seq(again.Records, 3))
assert(type(again.LastModifiedBy) == "string")

local ds = call("describeDataset", {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "settings"}).Dataset
assert(ds.DatasetName == "settings" and ds.IdentityId == ID)
assert(is_int(ds.NumRecords) and ds.NumRecords == 3, "NumRecords")
assert(is_int(ds.DataStorage) and ds.DataStorage > 0, "DataStorage")
assert(type(ds.CreationDate) == "number" and type(ds.LastModifiedDate) == "number")

local list = call("listDatasets", {IdentityPoolId = POOL, IdentityId = ID})
assert(is_int(list.Count) and list.Count == 1)
assert(is_seq(list.Datasets, 1) and list.Datasets[1].DatasetName == "settings")

local iu = call("describeIdentityUsage", {IdentityPoolId = POOL, IdentityId = ID}).IdentityUsage
assert(iu.IdentityId == ID and iu.IdentityPoolId == POOL)
assert(is_int(iu.DatasetCount) and iu.DatasetCount == 1)
assert(is_int(iu.DataStorage) and iu.DataStorage == ds.DataStorage)
assert(type(iu.LastModifiedDate) == "number")

local pu = call("describeIdentityPoolUsage", {IdentityPoolId = POOL}).IdentityPoolUsage
assert(pu.IdentityPoolId == POOL)
assert(is_int(pu.SyncSessionsCount) and pu.SyncSessionsCount >= 1, "listRecords on an existing pool is a sync session")
assert(is_int(pu.DataStorage) and pu.DataStorage == ds.DataStorage)

local found = false
local token
repeat
  local usage = call("listIdentityPoolUsage", {MaxResults = 60, NextToken = token})
  assert(is_int(usage.Count) and is_int(usage.MaxResults))
  assert(type(usage.IdentityPoolUsages) == "table")
  for _, u in ipairs(usage.IdentityPoolUsages) do
    if u.IdentityPoolId == POOL then found = true end
  end
  token = usage.NextToken
until token == nil
assert(found, "listIdentityPoolUsage lists the pool")

local cfg = call("setIdentityPoolConfiguration", {IdentityPoolId = POOL,
  PushSync = {ApplicationArns = {"arn:aws:sns:us-east-1:123456789012:app/GCM/my_app"},
              RoleArn = "arn:aws:iam::123456789012:role/push"},
  CognitoStreams = {StreamName = "stream", RoleArn = "arn:aws:iam::123456789012:role/streams",
                    StreamingStatus = "ENABLED"}})
assert(cfg.IdentityPoolId == POOL)
assert(is_seq(cfg.PushSync.ApplicationArns, 1))
local got = call("getIdentityPoolConfiguration", {IdentityPoolId = POOL})
assert(got.CognitoStreams.StreamingStatus == "ENABLED" and got.CognitoStreams.StreamName == "stream")
assert(got.PushSync.ApplicationArns[1] == "arn:aws:sns:us-east-1:123456789012:app/GCM/my_app")
assert(got.PushSync.RoleArn == "arn:aws:iam::123456789012:role/push")

local set = call("setCognitoEvents", {IdentityPoolId = POOL,
  Events = {SyncTrigger = "arn:aws:lambda:us-east-1:123456789012:function:f"}})
assert(is_empty(set), "an operation without output returns an empty table")
local events = call("getCognitoEvents", {IdentityPoolId = POOL}).Events
assert(events.SyncTrigger == "arn:aws:lambda:us-east-1:123456789012:function:f")
assert(#events == 0, "a map is not a sequence")

local dev = call("registerDevice", {IdentityPoolId = POOL, IdentityId = ID, Platform = "GCM", Token = "push-token"})
assert(type(dev.DeviceId) == "string" and #dev.DeviceId > 0)
assert(is_empty(call("subscribeToDataset", {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "settings",
  DeviceId = dev.DeviceId})))
assert(is_empty(call("unsubscribeFromDataset", {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "settings",
  DeviceId = dev.DeviceId})))

assert(call("bulkPublish", {IdentityPoolId = POOL}).IdentityPoolId == POOL)
local details = call("getBulkPublishDetails", {IdentityPoolId = POOL})
assert(details.IdentityPoolId == POOL)
assert(details.BulkPublishStatus == "IN_PROGRESS" or details.BulkPublishStatus == "SUCCEEDED")
assert(type(details.BulkPublishStartTime) == "number")

local deleted = call("deleteDataset", {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "settings"})
assert(deleted.Dataset.DatasetName == "settings")
local e = check_error(expect_error(cs.describeDataset, cs,
  {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "settings"}), "ResourceNotFoundException")
assert(e.statusCode == 404 and e.retryable == false and e.retryCount == 0)
assert(e.operation == "DescribeDataset" and type(e.requestId) == "string" and #e.requestId > 0)
assert(type(e.message) == "string" and #e.message > 0)

for _, op in ipairs(cognitosync.operations) do
  assert(called[op], "not called: " .. op)
end
assert(#cognitosync.operations == 17)
print("ok 17")
""".replace("ISO_STAMP", ISO_STAMP).replace("ISO_EPOCH", str(ISO_EPOCH)))
    assert code == 0, err
    assert out.strip() == "ok 17"
    assert err == ""


def test_bulk_publish_completes_and_reports_times(run_lua, start_endpoint):
    # A publish that runs for two seconds: the script's repeated bulkPublish, right after its first, finds it running
    # even on a loaded machine; the waits poll until the endpoint reports the end.
    endpoint = start_endpoint("--bulk-publish-seconds", "2")
    code, out, err = run_lua(r"""
local page = cs:listRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"}
cs:updateRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d", SyncSessionToken = page.SyncSessionToken,
  RecordPatches = {{Op = "replace", Key = "k", Value = "v", SyncCount = 0}}}
local before = cs:getBulkPublishDetails{IdentityPoolId = POOL}
assert(before.BulkPublishStatus == "NOT_STARTED", before.BulkPublishStatus)
local function wait_done()
  while true do
    local details = cs:getBulkPublishDetails{IdentityPoolId = POOL}
    if details.BulkPublishStatus ~= "IN_PROGRESS" then return details end
    cognitosync.sleep(0.05)
  end
end
cs:bulkPublish{IdentityPoolId = POOL}
local failed = wait_done()
assert(failed.BulkPublishStatus == "FAILED", "without Cognito Streams a bulk publish fails")
assert(type(failed.FailureMessage) == "string" and failed.FailureMessage:find("Streams"), failed.FailureMessage)
cs:setIdentityPoolConfiguration{IdentityPoolId = POOL, CognitoStreams = {StreamName = "s",
  RoleArn = "arn:aws:iam::123456789012:role/streams", StreamingStatus = "ENABLED"}}
cs:bulkPublish{IdentityPoolId = POOL}
local e = check_error(expect_error(cs.bulkPublish, cs, {IdentityPoolId = POOL}), "DuplicateRequestException")
assert(e.statusCode == 400 and e.retryable == false)
local details = wait_done()
assert(details.BulkPublishStatus == "SUCCEEDED", details.BulkPublishStatus)
assert(type(details.BulkPublishCompleteTime) == "number")
assert(details.BulkPublishCompleteTime >= details.BulkPublishStartTime)
print("ok")
""", env={"AWS_ENDPOINT_URL": endpoint.url})
    assert code == 0, err
    assert out == "ok\n"


def test_empty_lists_are_empty_tables_both_ways(run_lua):
    code, out, err = run_lua(r"""
local list = cs:listDatasets{IdentityPoolId = POOL, IdentityId = ID}
assert(type(list.Datasets) == "table" and next(list.Datasets) == nil, "no datasets is {}")
assert(list.Count == 0 and math.type(list.Count) == "integer")
local page = cs:listRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"}
local up = cs:updateRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d",
  SyncSessionToken = page.SyncSessionToken, RecordPatches = {}}
assert(type(up.Records) == "table" and next(up.Records) == nil, "empty patch list writes nothing")
up = cs:updateRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d",
  SyncSessionToken = page.SyncSessionToken, RecordPatches = {{Op = "replace", Key = "k", Value = "v", SyncCount = 0}}}
local cfg = cs:setIdentityPoolConfiguration{IdentityPoolId = POOL, PushSync = {ApplicationArns = {}}}
assert(type(cfg.PushSync) == "table")
assert(cfg.PushSync.ApplicationArns == nil or next(cfg.PushSync.ApplicationArns) == nil)
print("ok")
""")
    assert code == 0, err
    assert out == "ok\n"


def test_make_request_by_method_and_api_name(run_lua):
    code, out, err = run_lua(r"""
local page = cs:makeRequest("listRecords", {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"})
assert(type(page.SyncSessionToken) == "string")
cs:makeRequest("UpdateRecords", {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d",
  SyncSessionToken = page.SyncSessionToken, RecordPatches = {{Op = "replace", Key = "k", Value = "v", SyncCount = 0}}})
local a = cs:makeRequest("describeDataset", {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"})
local b = cs:describeDataset{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"}
assert(a.Dataset.NumRecords == 1 and b.Dataset.NumRecords == 1)
assert(a.Dataset.DataStorage == b.Dataset.DataStorage)
local e = check_error(expect_error(cs.makeRequest, cs, "DescribeDataset",
  {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "other"}), "ResourceNotFoundException")
assert(e.operation == "DescribeDataset")
print("ok")
""")
    assert code == 0, err
    assert out == "ok\n"


def test_pagination_tokens_round_trip(run_lua):
    code, out, err = run_lua(r"""
local page = cs:listRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "paged"}
local patches = {}
for i = 1, 5 do patches[i] = {Op = "replace", Key = "k" .. i, Value = tostring(i), SyncCount = 0} end
cs:updateRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "paged",
  SyncSessionToken = page.SyncSessionToken, RecordPatches = patches}
local keys, token, pages = {}, nil, 0
repeat
  local p = cs:listRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "paged", MaxResults = 2,
                           NextToken = token}
  pages = pages + 1
  assert(#p.Records <= 2 and p.Count == #p.Records)
  for _, r in ipairs(p.Records) do keys[#keys + 1] = r.Key end
  token = p.NextToken
  assert(token == nil or type(token) == "string")
until token == nil
table.sort(keys)
assert(table.concat(keys, ",") == "k1,k2,k3,k4,k5", table.concat(keys, ","))
assert(pages == 3, pages)
print("ok")
""")
    assert code == 0, err
    assert out == "ok\n"


def test_sync_counts_above_2_53_reach_the_server_exactly(run_lua):
    # Sync counts are server-assigned, so the exact value is proven by the server quoting it back.
    code, out, err = run_lua(r"""
local huge = 9007199254740993  -- 2^53 + 1, not representable as a double
assert(math.type(huge) == "integer")
local page = cs:listRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"}
cs:updateRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d", SyncSessionToken = page.SyncSessionToken,
  RecordPatches = {{Op = "replace", Key = "k", Value = "v", SyncCount = 0}}}
local e = check_error(expect_error(cs.listRecords, cs,
  {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d", LastSyncCount = huge}), "InvalidParameterException")
assert(e.statusCode == 400)
assert(e.message:find("No such SyncCount: 9007199254740993", 1, true), e.message)
for _, count in ipairs({huge, math.maxinteger}) do
  local conflict = check_error(expect_error(cs.updateRecords, cs, {IdentityPoolId = POOL, IdentityId = ID,
    DatasetName = "d", SyncSessionToken = page.SyncSessionToken,
    RecordPatches = {{Op = "replace", Key = "k", Value = "w", SyncCount = count}}}), "ResourceConflictException")
  assert(conflict.statusCode == 409 and conflict.retryable == false and conflict.retryCount == 0)
  assert(conflict.message:find("not: " .. math.tointeger(count), 1, true), conflict.message)
end
print("ok")
""")
    assert code == 0, err
    assert out == "ok\n"


def test_response_integers_are_exact_to_64_bits(run_lua, recorder):
    recorder.answer(200, json.dumps({
        "Count": 9223372036854775807,
        "DatasetSyncCount": 9007199254740993,
        "DatasetExists": True,
        "Records": [
            {"Key": "a", "SyncCount": -9223372036854775808, "LastModifiedDate": 1700000000.125},
            {"Key": "b", "SyncCount": 9007199254740992, "LastModifiedDate": 1700000000},
        ],
        "SomeFutureField": {"nested": [1, 2.5, "x"]},
    }))
    code, out, err = run_lua(r"""
local c = cognitosync.new{endpoint = os.getenv("RECORDER"), maxRetries = 0}
local p = c:listRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"}
assert(math.type(p.Count) == "integer" and p.Count == math.maxinteger)
assert(math.type(p.DatasetSyncCount) == "integer" and p.DatasetSyncCount == 9007199254740993)
assert(p.DatasetSyncCount ~= 9007199254740992)
assert(p.Records[1].SyncCount == math.mininteger)
assert(p.Records[2].SyncCount == 9007199254740992)
assert(p.Records[1].LastModifiedDate == 1700000000.125, "timestamp fraction kept")
assert(p.Records[2].LastModifiedDate == 1700000000)
assert(p.SomeFutureField == nil, "unknown fields are ignored")
print("ok")
""", env={"RECORDER": recorder.url})
    assert code == 0, err
    assert out == "ok\n"
    assert recorder.count() == 1
