"""Values the service would refuse and boto3 could not read back are refused with 400."""

import json

import pytest



def update(endpoint, client, pool, identity, patch_json):
    token = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["SyncSessionToken"]
    path = "/identitypools/%s/identities/%s/datasets/d" % (pool, identity)
    body = '{"SyncSessionToken": "%s", "RecordPatches": [%s]}' % (token, patch_json)
    status, headers, payload = endpoint.raw("POST", path, body=body.encode())
    return status, headers.get("x-amzn-errortype", "").split(":")[0], json.loads(payload) if payload else None


@pytest.mark.parametrize("stamp", ["1e300", "-1e15", "253402300800", "9223372036854775807", "-62135596801"])
def test_device_timestamps_outside_years_1_to_9999_are_refused(endpoint, client, ids, stamp):
    status, code, body = update(endpoint, client, *ids, '{"Op": "replace", "Key": "k", "Value": "v", '
                                '"SyncCount": 0, "DeviceLastModifiedDate": %s}' % stamp)
    assert (status, code) == (400, "InvalidParameterException")
    assert body["message"].endswith(
        "at 'recordPatches.1.member.deviceLastModifiedDate' failed to satisfy constraint: Member must be a timestamp "
        "from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z (epoch seconds -62135596800 to 253402300799.999)"
    )
    assert client.list_records(IdentityPoolId=ids[0], IdentityId=ids[1], DatasetName="d")["Count"] == 0


@pytest.mark.parametrize("stamp", ["-62135596800", "253402300799.999"])
def test_timestamps_at_the_edges_are_stored_and_boto3_reads_them_back(endpoint, client, ids, stamp):
    status, _, body = update(endpoint, client, *ids, '{"Op": "replace", "Key": "k", "Value": "v", '
                             '"SyncCount": 0, "DeviceLastModifiedDate": %s}' % stamp)
    assert status == 200, body
    record = client.list_records(IdentityPoolId=ids[0], IdentityId=ids[1], DatasetName="d")["Records"][0]
    assert record["DeviceLastModifiedDate"].year in (1, 9999)


def test_a_lone_surrogate_is_refused_and_a_pair_is_kept(endpoint, client, ids):
    status, code, body = update(endpoint, client, *ids,
                                '{"Op": "replace", "Key": "k", "Value": "a\\ud800b", "SyncCount": 0}')
    assert (status, code) == (400, "InvalidParameterException")
    assert body["message"].startswith("The request body has the lone UTF-16 surrogate \\ud800 at byte ")
    status, _, _ = update(endpoint, client, *ids, '{"Op": "replace", "Key": "k", "Value": "\\ud83d\\ude00", '
                          '"SyncCount": 0}')
    assert status == 200
    record = client.list_records(IdentityPoolId=ids[0], IdentityId=ids[1], DatasetName="d")["Records"][0]
    assert record["Value"] == "\U0001F600"


@pytest.mark.parametrize("count", ["-9223372036854775809", "9223372036854775808"])
def test_sync_counts_outside_int64_get_the_same_400(endpoint, client, ids, count):
    status, code, body = update(endpoint, client, *ids,
                                '{"Op": "replace", "Key": "k", "Value": "v", "SyncCount": %s}' % count)
    assert (status, code) == (400, "SerializationException")
    assert body["message"] == "Unexpected value type at 'recordPatches.1.member.syncCount'"
