"""--data FILE: the state survives a clean restart and a kill -9; big counters survive exactly."""

import signal
import sqlite3

from localsync import list_all, put
from testkit import new_id

ROLE = "arn:aws:iam::123456789012:role/r"
GCM = "arn:aws:sns:us-east-1:123456789012:app/GCM/app"


def test_state_survives_restart(start_endpoint, ids, tmp_path):
    data = str(tmp_path / "state.db")
    pool, identity = ids
    first = start_endpoint("--data", data)
    client = first.client()
    put(client, pool, identity, "d", {"a": "1", "b": "2"})
    put(client, pool, identity, "d", {"a": "3"}, remove=["b"])
    put(client, pool, identity, "gone", {"x": "y"})
    client.delete_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="gone")
    client.set_identity_pool_configuration(
        IdentityPoolId=pool,
        PushSync={"ApplicationArns": [GCM], "RoleArn": ROLE},
        CognitoStreams={"StreamName": "s", "RoleArn": ROLE, "StreamingStatus": "ENABLED"},
    )
    client.set_cognito_events(IdentityPoolId=pool, Events={"SyncTrigger": "arn:fn"})
    device = client.register_device(IdentityPoolId=pool, IdentityId=identity, Platform="GCM", Token="t")["DeviceId"]
    client.subscribe_to_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", DeviceId=device)
    token = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["SyncSessionToken"]
    before = list_all(client, pool, identity, "d")
    sessions = client.describe_identity_pool_usage(IdentityPoolId=pool)["IdentityPoolUsage"]["SyncSessionsCount"]
    assert first.stop() == 0

    second = start_endpoint("--data", data)
    client = second.client()
    usage = client.describe_identity_pool_usage(IdentityPoolId=pool)["IdentityPoolUsage"]
    assert usage["SyncSessionsCount"] == sessions
    after = list_all(client, pool, identity, "d")
    assert after["Records"] == before["Records"]
    assert after["DatasetSyncCount"] == 2
    assert {r["Key"]: r.get("Value") for r in after["Records"]} == {"a": "3", "b": None}
    gone = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="gone", LastSyncCount=1)
    assert gone["DatasetExists"] is False and gone["DatasetDeletedAfterRequestedSyncCount"] is True
    config = client.get_identity_pool_configuration(IdentityPoolId=pool)
    assert config["PushSync"] == {"ApplicationArns": [GCM], "RoleArn": ROLE}
    assert config["CognitoStreams"]["StreamingStatus"] == "ENABLED"
    assert client.get_cognito_events(IdentityPoolId=pool)["Events"] == {"SyncTrigger": "arn:fn"}
    again = client.register_device(IdentityPoolId=pool, IdentityId=identity, Platform="GCM", Token="t")["DeviceId"]
    assert again == device
    client.unsubscribe_from_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", DeviceId=device)
    # A session token issued before the restart is still accepted.
    client.update_records(
        IdentityPoolId=pool,
        IdentityId=identity,
        DatasetName="d",
        SyncSessionToken=token,
        RecordPatches=[{"Op": "replace", "Key": "c", "Value": "new", "SyncCount": 0}],
    )


def test_acknowledged_writes_survive_kill_9(start_endpoint, tmp_path):
    data = str(tmp_path / "state.db")
    pool = new_id()
    endpoint = start_endpoint("--data", data)
    client = endpoint.client()
    expected = {}
    for n in range(40):
        identity = "us-east-1:%08x-0000-0000-0000-000000000000" % (n % 4)
        dataset = "ds%d" % (n % 3)
        key = "key%d" % n
        put(client, pool, identity, dataset, {key: "value%d" % n})
        expected[(identity, dataset, key)] = "value%d" % n
    endpoint.process.send_signal(signal.SIGKILL)
    endpoint.process.wait()

    restarted = start_endpoint("--data", data)
    client = restarted.client()
    found = {}
    for identity in {k[0] for k in expected}:
        for dataset in {k[1] for k in expected}:
            for record in list_all(client, pool, identity, dataset)["Records"]:
                found[(identity, dataset, record["Key"])] = record["Value"]
    assert found == expected


def test_sync_counts_beyond_2_pow_53_round_trip_exactly(start_endpoint, ids, tmp_path):
    data = str(tmp_path / "state.db")
    pool, identity = ids
    big = 2**53 + 1
    endpoint = start_endpoint("--data", data)
    put(endpoint.client(), pool, identity, "d", {"k": "v"})
    endpoint.stop()
    with sqlite3.connect(data) as db:
        db.execute("UPDATE records SET sync_count = ?", (big,))
        db.execute("UPDATE datasets SET sync_count = ?", (big,))

    restarted = start_endpoint("--data", data)
    client = restarted.client()
    page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")
    assert page["DatasetSyncCount"] == big
    assert page["Records"][0]["SyncCount"] == big
    assert client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", LastSyncCount=big - 1)[
        "Count"
    ] == 1
    written = client.update_records(
        IdentityPoolId=pool,
        IdentityId=identity,
        DatasetName="d",
        SyncSessionToken=page["SyncSessionToken"],
        RecordPatches=[{"Op": "replace", "Key": "k", "Value": "w", "SyncCount": big}],
    )
    assert written["Records"][0]["SyncCount"] == big + 1
    status, headers, body = restarted.raw(
        "GET", "/identitypools/%s/identities/%s/datasets/d/records" % (pool, identity)
    )
    assert b'"DatasetSyncCount":9007199254740994' in body
