"""What a script did or read, checked by boto3, the independent client: deleteDataset and unsubscribeFromDataset
change what boto3 then sees, describeIdentityUsage and describeIdentityPoolUsage answer as boto3's calls do, and
the service errors of describeIdentityUsage, getCognitoEvents, getIdentityPoolConfiguration and
unsubscribeFromDataset reach the script with the code, status and message botocore reads from the same answer."""

import pytest
from botocore.exceptions import ClientError

from testkit import new_id

ROLE = "arn:aws:iam::123456789012:role/push"
APP = "arn:aws:sns:us-east-1:123456789012:app/GCM/my-app"

# Prints an error object as one tab-separated line: code, status, retryable, retries, operation, whether it has a
# request id, message.
REPORT = r"""
local function report(e)
  assert(type(e) == "table", tostring(e))
  print(e.code, e.statusCode, tostring(e.retryable), e.retryCount, e.operation,
        tostring(type(e.requestId) == "string" and #e.requestId > 0), e.message)
end
local function stamp(seconds) return ("%.17g"):format(seconds) end
"""


def put(client, pool, identity, dataset, values):
    """Writes key -> value into a dataset with boto3, at the records' current sync counts."""
    page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName=dataset)
    counts = {r["Key"]: r["SyncCount"] for r in page["Records"]}
    client.update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName=dataset,
                          SyncSessionToken=page["SyncSessionToken"],
                          RecordPatches=[{"Op": "replace", "Key": k, "Value": v, "SyncCount": counts.get(k, 0)}
                                         for k, v in values.items()])


def lines(run_lua, script, **env):
    code, out, err = run_lua(REPORT + script, env=env)
    assert code == 0, err
    assert err == ""
    return [line.split("\t") for line in out.splitlines()]


def boto_error(call, **params):
    """(code, status, message) of the service error boto3 gets for the same call."""
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


def script_error(fields, operation):
    """(code, status, message) of a reported error object, after checking what every service error carries."""
    code, status, retryable, retries, name, has_request_id, message = fields
    assert (retryable, retries, name, has_request_id) == ("false", "0", operation, "true"), fields
    return code, int(status), message


def close(seconds, moment):
    return abs(float(seconds) - moment.timestamp()) < 0.001


def test_a_deleted_dataset_is_gone_for_boto3(run_lua, local_endpoint, ids):
    boto = local_endpoint.client()
    pool, identity = ids["TEST_POOL"], ids["TEST_IDENTITY"]
    put(boto, pool, identity, "doomed", {"a": "1", "bb": "22"})
    put(boto, pool, identity, "kept", {"c": "3"})
    before = boto.describe_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="doomed")["Dataset"]

    [deleted] = lines(run_lua, r"""
local d = cs:deleteDataset{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "doomed"}.Dataset
print(d.IdentityId, d.DatasetName, d.NumRecords, d.DataStorage, d.LastModifiedBy, stamp(d.CreationDate),
      stamp(d.LastModifiedDate))
""")
    # The answer describes the dataset as it was: two records of "a1" and "bb22".
    assert deleted[:5] == [identity, "doomed", "2", "6", before["LastModifiedBy"]]
    assert before["NumRecords"] == 2 and before["DataStorage"] == 6
    assert close(deleted[5], before["CreationDate"]) and close(deleted[6], before["LastModifiedDate"])

    assert boto_error(boto.describe_dataset, IdentityPoolId=pool, IdentityId=identity, DatasetName="doomed")[:2] == \
        ("ResourceNotFoundException", 404)
    assert [d["DatasetName"] for d in boto.list_datasets(IdentityPoolId=pool, IdentityId=identity)["Datasets"]] == \
        ["kept"]
    usage = boto.describe_identity_usage(IdentityPoolId=pool, IdentityId=identity)["IdentityUsage"]
    assert (usage["DatasetCount"], usage["DataStorage"]) == (1, len("c3"))


def test_describe_identity_usage_answers_as_boto3_and_its_error(run_lua, local_endpoint, ids):
    boto = local_endpoint.client()
    pool, identity, unknown = ids["TEST_POOL"], ids["TEST_IDENTITY"], new_id()
    put(boto, pool, identity, "one", {"k": "vv"})
    put(boto, pool, identity, "two", {"key": "value"})

    usage, failure = lines(run_lua, r"""
local u = cs:describeIdentityUsage{IdentityPoolId = POOL, IdentityId = ID}.IdentityUsage
print(u.IdentityPoolId, u.IdentityId, u.DatasetCount, u.DataStorage, stamp(u.LastModifiedDate))
report(expect_error(cs.describeIdentityUsage, cs, {IdentityPoolId = POOL, IdentityId = os.getenv("UNKNOWN")}))
""", UNKNOWN=unknown)
    expected = boto.describe_identity_usage(IdentityPoolId=pool, IdentityId=identity)["IdentityUsage"]
    assert usage[:4] == [expected["IdentityPoolId"], expected["IdentityId"], str(expected["DatasetCount"]),
                         str(expected["DataStorage"])]
    assert usage[:4] == [pool, identity, "2", str(len("kvv") + len("keyvalue"))]
    assert close(usage[4], expected["LastModifiedDate"])

    boto_failure = boto_error(boto.describe_identity_usage, IdentityPoolId=pool, IdentityId=unknown)
    assert script_error(failure, "DescribeIdentityUsage") == boto_failure
    assert boto_failure == ("ResourceNotFoundException", 404, "Identity '%s' not found" % unknown)


def test_describe_identity_pool_usage_answers_as_boto3(run_lua, local_endpoint, ids):
    boto = local_endpoint.client()
    pool, identities = ids["TEST_POOL"], [ids["TEST_IDENTITY"], new_id()]
    put(boto, pool, identities[0], "settings", {"theme": "dark"})
    put(boto, pool, identities[1], "settings", {"lang": "en"})
    put(boto, pool, identities[1], "profile", {"name": "Ada"})

    [usage] = lines(run_lua, r"""
local u = cs:describeIdentityPoolUsage{IdentityPoolId = POOL}.IdentityPoolUsage
print(u.IdentityPoolId, u.SyncSessionsCount, u.DataStorage, stamp(u.LastModifiedDate))
""")
    expected = boto.describe_identity_pool_usage(IdentityPoolId=pool)["IdentityPoolUsage"]
    assert usage[:3] == [expected["IdentityPoolId"], str(expected["SyncSessionsCount"]),
                         str(expected["DataStorage"])]
    assert close(usage[3], expected["LastModifiedDate"])
    # The pool's storage is its identities' storage, as boto3 reads them one by one.
    per_identity = [boto.describe_identity_usage(IdentityPoolId=pool, IdentityId=i)["IdentityUsage"]["DataStorage"]
                    for i in identities]
    assert int(usage[2]) == sum(per_identity) == len("themedark") + len("langen") + len("nameAda")
    # Each put opened a sync session with its ListRecords, but the first came before the pool existed.
    assert usage[1] == "2"


def test_configuration_reads_of_an_unknown_pool_fail_as_boto3_sees_it(run_lua, local_endpoint):
    boto = local_endpoint.client()
    unknown = new_id()
    events, configuration = lines(run_lua, r"""
local pool = os.getenv("UNKNOWN")
report(expect_error(cs.getCognitoEvents, cs, {IdentityPoolId = pool}))
report(expect_error(cs.getIdentityPoolConfiguration, cs, {IdentityPoolId = pool}))
""", UNKNOWN=unknown)
    expected = ("ResourceNotFoundException", 404, "IdentityPool '%s' not found" % unknown)
    assert script_error(events, "GetCognitoEvents") == boto_error(boto.get_cognito_events, IdentityPoolId=unknown) \
        == expected
    assert script_error(configuration, "GetIdentityPoolConfiguration") == \
        boto_error(boto.get_identity_pool_configuration, IdentityPoolId=unknown) == expected


def test_unsubscribe_takes_the_subscription_away_for_boto3(run_lua, local_endpoint, ids):
    boto = local_endpoint.client()
    pool, identity, unconfigured = ids["TEST_POOL"], ids["TEST_IDENTITY"], new_id()
    put(boto, pool, identity, "settings", {"a": "1"})
    put(boto, unconfigured, identity, "settings", {"a": "1"})
    boto.set_identity_pool_configuration(IdentityPoolId=pool, PushSync={"RoleArn": ROLE, "ApplicationArns": [APP]})
    device = boto.register_device(IdentityPoolId=pool, IdentityId=identity, Platform="GCM",
                                  Token="push-token")["DeviceId"]
    where = dict(IdentityPoolId=pool, IdentityId=identity, DatasetName="settings", DeviceId=device)

    # A script's subscription is one boto3 can take away.
    assert lines(run_lua, r"""
cs:subscribeToDataset{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "settings", DeviceId = os.getenv("DEVICE")}
print("subscribed")
""", DEVICE=device) == [["subscribed"]]
    boto.unsubscribe_from_dataset(**where)

    # A script's unsubscribe leaves boto3 nothing to take away; a second one, and one in a pool without push
    # sync, fail as they do for boto3.
    boto.subscribe_to_dataset(**where)
    unsubscribed, again, unconfigured_failure = lines(run_lua, r"""
local where = {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "settings", DeviceId = os.getenv("DEVICE")}
local answer = cs:unsubscribeFromDataset(where)
assert(type(answer) == "table" and next(answer) == nil)
print("unsubscribed")
report(expect_error(cs.unsubscribeFromDataset, cs, where))
where.IdentityPoolId = os.getenv("UNCONFIGURED")
report(expect_error(cs.unsubscribeFromDataset, cs, where))
""", DEVICE=device, UNCONFIGURED=unconfigured)
    assert unsubscribed == ["unsubscribed"]
    not_subscribed = boto_error(boto.unsubscribe_from_dataset, **where)
    assert not_subscribed == ("ResourceNotFoundException", 404,
                              "Device %s is not subscribed to dataset settings" % device)
    assert script_error(again, "UnsubscribeFromDataset") == not_subscribed
    assert script_error(unconfigured_failure, "UnsubscribeFromDataset") == \
        boto_error(boto.unsubscribe_from_dataset, **dict(where, IdentityPoolId=unconfigured)) == \
        ("InvalidConfigurationException", 400, "Push sync is not configured for identity pool %s" % unconfigured)
    # The device is still registered: subscribing again works.
    boto.subscribe_to_dataset(**where)
