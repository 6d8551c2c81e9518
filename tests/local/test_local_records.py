"""ListRecords / UpdateRecords / DescribeDataset / ListDatasets / DeleteDataset semantics."""

import datetime

import pytest
from botocore.exceptions import ClientError

from localsync import error_of, put
from testkit import new_id

BIG = 2**53 + 1


def test_list_records_of_missing_dataset_is_empty_with_token(client, ids):
    pool, identity = ids
    page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="settings")
    assert page["Records"] == []
    assert page["Count"] == 0
    assert page["DatasetExists"] is False
    assert page["DatasetSyncCount"] == 0
    assert page["DatasetDeletedAfterRequestedSyncCount"] is False
    assert page["SyncSessionToken"]


def test_update_creates_dataset_and_counts_syncs(client, ids):
    pool, identity = ids
    token = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="settings")["SyncSessionToken"]
    device_time = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    result = client.update_records(
        IdentityPoolId=pool,
        IdentityId=identity,
        DatasetName="settings",
        SyncSessionToken=token,
        DeviceId="device-1",
        ClientContext="ignored",
        RecordPatches=[
            {"Op": "replace", "Key": "color", "Value": "blue", "SyncCount": 0, "DeviceLastModifiedDate": device_time},
            {"Op": "replace", "Key": "size", "Value": "", "SyncCount": 0},
        ],
    )
    records = {r["Key"]: r for r in result["Records"]}
    assert set(records) == {"color", "size"}
    assert records["color"]["Value"] == "blue"
    assert records["size"]["Value"] == ""
    assert records["color"]["SyncCount"] == 1 and records["size"]["SyncCount"] == 1
    assert records["color"]["DeviceLastModifiedDate"] == device_time
    assert "DeviceLastModifiedDate" not in records["size"]
    assert records["color"]["LastModifiedBy"] == "000000000000"

    second = put(client, pool, identity, "settings", {"color": "red"})
    assert [r["SyncCount"] for r in second["Records"]] == [2]

    page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="settings")
    assert page["DatasetExists"] is True
    assert page["DatasetSyncCount"] == 2
    assert page["Count"] == 2
    assert page["LastModifiedBy"] == "000000000000"
    assert {r["Key"]: (r["Value"], r["SyncCount"]) for r in page["Records"]} == {"color": ("red", 2), "size": ("", 1)}

    dataset = client.describe_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="settings")["Dataset"]
    assert dataset["DatasetName"] == "settings"
    assert dataset["IdentityId"] == identity
    assert dataset["NumRecords"] == 2
    assert dataset["DataStorage"] == len("color") + len("red") + len("size")
    assert dataset["CreationDate"] <= dataset["LastModifiedDate"]


def test_last_sync_count_returns_only_later_changes(client, ids):
    pool, identity = ids
    put(client, pool, identity, "d", {"a": "1", "b": "1"})
    put(client, pool, identity, "d", {"b": "2"})
    put(client, pool, identity, "d", {"c": "3"})
    later = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", LastSyncCount=1)
    assert [(r["Key"], r["SyncCount"]) for r in later["Records"]] == [("b", 2), ("c", 3)]
    assert later["DatasetSyncCount"] == 3
    nothing = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", LastSyncCount=3)
    assert nothing["Records"] == [] and nothing["Count"] == 0


def test_last_sync_count_beyond_dataset_is_rejected(client, ids):
    pool, identity = ids
    put(client, pool, identity, "d", {"a": "1"})
    with pytest.raises(ClientError) as excinfo:
        client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", LastSyncCount=37)
    assert error_of(excinfo) == ("InvalidParameterException", 400, "No such SyncCount: 37 exists for this Dataset")


def test_stale_sync_count_conflicts_and_nothing_is_applied(client, ids):
    pool, identity = ids
    put(client, pool, identity, "d", {"user": "ann", "other": "x"})
    token = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["SyncSessionToken"]
    with pytest.raises(ClientError) as excinfo:
        client.update_records(
            IdentityPoolId=pool,
            IdentityId=identity,
            DatasetName="d",
            SyncSessionToken=token,
            RecordPatches=[
                {"Op": "replace", "Key": "other", "Value": "changed", "SyncCount": 1},
                {"Op": "replace", "Key": "user", "Value": "bob", "SyncCount": 0},
            ],
        )
    assert error_of(excinfo) == ("ResourceConflictException", 409, "Current SyncCount for: user is: 1 not: 0")
    page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")
    assert {r["Key"]: r["Value"] for r in page["Records"]} == {"user": "ann", "other": "x"}
    assert page["DatasetSyncCount"] == 1


def test_higher_sync_count_and_stale_remove_also_conflict(client, ids):
    pool, identity = ids
    put(client, pool, identity, "d", {"k": "v"})
    token = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["SyncSessionToken"]
    for patch, expected in [
        ({"Op": "replace", "Key": "k", "Value": "w", "SyncCount": 5}, "Current SyncCount for: k is: 1 not: 5"),
        ({"Op": "remove", "Key": "k", "SyncCount": 0}, "Current SyncCount for: k is: 1 not: 0"),
    ]:
        with pytest.raises(ClientError) as excinfo:
            client.update_records(
                IdentityPoolId=pool, IdentityId=identity, DatasetName="d", SyncSessionToken=token, RecordPatches=[patch]
            )
        assert error_of(excinfo) == ("ResourceConflictException", 409, expected)


def test_sync_counts_above_2_pow_53_are_exact(client, ids):
    pool, identity = ids
    put(client, pool, identity, "d", {"k": "v"})
    token = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["SyncSessionToken"]
    with pytest.raises(ClientError) as excinfo:
        client.update_records(
            IdentityPoolId=pool,
            IdentityId=identity,
            DatasetName="d",
            SyncSessionToken=token,
            RecordPatches=[{"Op": "replace", "Key": "k", "Value": "w", "SyncCount": BIG}],
        )
    assert error_of(excinfo)[2] == "Current SyncCount for: k is: 1 not: %d" % BIG
    with pytest.raises(ClientError) as excinfo:
        client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", LastSyncCount=BIG)
    assert error_of(excinfo)[2] == "No such SyncCount: %d exists for this Dataset" % BIG


def test_remove_leaves_tombstone_that_other_devices_see(client, ids):
    pool, identity = ids
    put(client, pool, identity, "d", {"keep": "1", "drop": "2"})
    removed = put(client, pool, identity, "d", {}, remove=["drop"])
    assert removed["Records"][0]["Key"] == "drop"
    assert "Value" not in removed["Records"][0]
    assert removed["Records"][0]["SyncCount"] == 2

    other_device = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", LastSyncCount=1)
    assert [(r["Key"], r.get("Value"), r["SyncCount"]) for r in other_device["Records"]] == [("drop", None, 2)]

    dataset = client.describe_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["Dataset"]
    assert dataset["NumRecords"] == 1
    assert dataset["DataStorage"] == len("keep") + len("1") + len("drop")

    revived = put(client, pool, identity, "d", {"drop": "back"})
    assert revived["Records"][0]["SyncCount"] == 3 and revived["Records"][0]["Value"] == "back"


def test_session_token_is_bound_to_its_dataset(client, ids):
    pool, identity = ids
    token = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="one")["SyncSessionToken"]
    for target_identity, dataset, bad_token in [
        (identity, "two", token),
        (new_id(), "one", token),
        (identity, "one", "not-a-token"),
        (identity, "one", token[:-2] + ("AA" if not token.endswith("AA") else "BB")),
    ]:
        with pytest.raises(ClientError) as excinfo:
            client.update_records(
                IdentityPoolId=pool,
                IdentityId=target_identity,
                DatasetName=dataset,
                SyncSessionToken=bad_token,
                RecordPatches=[{"Op": "replace", "Key": "k", "Value": "v", "SyncCount": 0}],
            )
        assert error_of(excinfo) == ("InvalidParameterException", 400, "SyncSessionToken not valid for these inputs")


def test_session_token_is_reusable_and_expires(start_endpoint, ids):
    import time

    endpoint = start_endpoint("--session-ttl", "5")
    client = endpoint.client()
    pool, identity = ids
    issued = time.monotonic()
    token = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["SyncSessionToken"]

    def update(patches):
        return client.update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d",
                                     SyncSessionToken=token, RecordPatches=patches)

    for key in ("a", "b"):
        update([{"Op": "replace", "Key": key, "Value": "v", "SyncCount": 0}])
    # Waits for the endpoint to refuse the token, asking with updates that write nothing.
    deadline = issued + 60
    while True:
        try:
            update([])
        except ClientError as error:
            refused = time.monotonic()
            assert (error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]) == \
                ("InvalidParameterException", 400)
            break
        assert time.monotonic() < deadline, "the session token was still accepted after a minute"
        time.sleep(0.1)
    # Not before its 5 s were up (the endpoint keeps the issue time to the millisecond).
    assert refused - issued >= 4.999
    with pytest.raises(ClientError) as excinfo:
        update([{"Op": "replace", "Key": "c", "Value": "v", "SyncCount": 0}])
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    assert sorted(r["Key"] for r in client.list_records(IdentityPoolId=pool, IdentityId=identity,
                                                        DatasetName="d")["Records"]) == ["a", "b"]


def test_list_records_pages_with_next_token(client, ids):
    pool, identity = ids
    for chunk in range(5):
        put(client, pool, identity, "d", {"k%03d" % (chunk * 10 + i): str(i) for i in range(10)})
    put(client, pool, identity, "d", {"k000": "changed"})
    seen = []
    tokens = 0
    kwargs = {"MaxResults": 7}
    while True:
        page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", **kwargs)
        assert page["Count"] == len(page["Records"]) <= 7
        assert page["DatasetSyncCount"] == 6
        seen += page["Records"]
        if "NextToken" not in page:
            break
        tokens += 1
        kwargs["NextToken"] = page["NextToken"]
    assert tokens == 7
    assert len(seen) == 50
    assert len({r["Key"] for r in seen}) == 50
    counts = [(r["SyncCount"], r["Key"]) for r in seen]
    assert counts == sorted(counts)
    assert seen[-1]["Key"] == "k000" and seen[-1]["Value"] == "changed"


def test_list_records_default_page_is_1024(client, ids):
    pool, identity = ids
    put(client, pool, identity, "d", {"k%04d" % i: "v" for i in range(1000)})
    page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")
    assert page["Count"] == 1000 and "NextToken" not in page
    capped = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", MaxResults=5000)
    assert capped["Count"] == 1000


def test_invalid_paging_parameters(client, ids):
    pool, identity = ids
    put(client, pool, identity, "d", {"a": "1", "b": "2"})
    with pytest.raises(ClientError) as excinfo:
        client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", MaxResults=0)
    code, status, message = error_of(excinfo)
    assert (code, status) == ("InvalidParameterException", 400)
    assert "maxResults" in message and "greater than or equal to 1" in message
    with pytest.raises(ClientError) as excinfo:
        client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", NextToken="garbage")
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)
    other = client.list_datasets(IdentityPoolId=pool, IdentityId=identity, MaxResults=1)
    assert "NextToken" not in other
    page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", MaxResults=1)
    with pytest.raises(ClientError) as excinfo:
        client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="e", NextToken=page["NextToken"])
    assert error_of(excinfo)[:2] == ("InvalidParameterException", 400)


def test_list_datasets_pages_and_skips_deleted(client, ids):
    pool, identity = ids
    names = ["ds%02d" % i for i in range(12)]
    for name in names:
        put(client, pool, identity, name, {"k": name})
    client.delete_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="ds05")
    seen = []
    kwargs = {"MaxResults": 5}
    pages = 0
    while True:
        page = client.list_datasets(IdentityPoolId=pool, IdentityId=identity, **kwargs)
        pages += 1
        assert page["Count"] == len(page["Datasets"])
        seen += [d["DatasetName"] for d in page["Datasets"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert pages == 3
    assert seen == [n for n in names if n != "ds05"]
    assert client.list_datasets(IdentityPoolId=pool, IdentityId=new_id())["Datasets"] == []


def test_list_datasets_default_page_is_64(client, ids):
    pool = ids[0]
    for identity_index in range(4):
        identity = new_id()
        for i in range(20):
            put(client, pool, identity, "d%02d" % i, {"k": "v"})
    page = client.list_datasets(IdentityPoolId=pool, IdentityId=identity)
    assert page["Count"] == 20 and "NextToken" not in page


def test_delete_dataset(client, ids):
    pool, identity = ids
    put(client, pool, identity, "d", {"a": "1", "b": "2"})
    put(client, pool, identity, "d", {"a": "3"})
    deleted = client.delete_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["Dataset"]
    assert deleted["DatasetName"] == "d" and deleted["NumRecords"] == 2

    with pytest.raises(ClientError) as excinfo:
        client.describe_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        client.delete_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)

    gone = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", LastSyncCount=2)
    assert gone["DatasetExists"] is False
    assert gone["Records"] == []
    assert gone["DatasetDeletedAfterRequestedSyncCount"] is True

    token = gone["SyncSessionToken"]
    with pytest.raises(ClientError) as excinfo:
        client.update_records(
            IdentityPoolId=pool,
            IdentityId=identity,
            DatasetName="d",
            SyncSessionToken=token,
            RecordPatches=[{"Op": "replace", "Key": "a", "Value": "x", "SyncCount": 2}],
        )
    assert error_of(excinfo)[2] == "Current SyncCount for: a is: 0 not: 2"
    recreated = client.update_records(
        IdentityPoolId=pool,
        IdentityId=identity,
        DatasetName="d",
        SyncSessionToken=token,
        RecordPatches=[{"Op": "replace", "Key": "a", "Value": "x", "SyncCount": 0}],
    )
    assert recreated["Records"][0]["SyncCount"] == 3
    after = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", LastSyncCount=1)
    assert after["DatasetExists"] is True
    assert after["DatasetDeletedAfterRequestedSyncCount"] is True
    assert [r["Key"] for r in after["Records"]] == ["a"]
    current = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", LastSyncCount=3)
    assert current["DatasetDeletedAfterRequestedSyncCount"] is False


def test_merged_dataset_names_are_reported(client, ids):
    pool, identity = ids
    merged_from = new_id()
    put(client, pool, identity, "game", {"level": "3"})
    put(client, pool, identity, "game." + merged_from, {"level": "5"})
    put(client, pool, identity, "gamer", {"x": "1"})
    page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="game")
    assert page["MergedDatasetNames"] == ["game." + merged_from]


def test_empty_patch_list_creates_dataset_without_a_sync(client, ids):
    pool, identity = ids
    token = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["SyncSessionToken"]
    result = client.update_records(
        IdentityPoolId=pool, IdentityId=identity, DatasetName="d", SyncSessionToken=token, RecordPatches=[]
    )
    assert result["Records"] == []
    page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")
    assert page["DatasetExists"] is True and page["DatasetSyncCount"] == 0


def test_values_with_quotes_controls_and_unicode_round_trip(client, ids):
    pool, identity = ids
    values = {
        "quote": 'say "hi"',
        "backslash": "C:\\path\\",
        "controls": "line1\nline2\r\t\x01\x1f",
        "unicode": "caf\u00e9 \u65e5\u672c \U0001F600",
        "slash": "a/b</script>",
        "unicode-key-\u00fc": "x",
    }
    put(client, pool, identity, "d", values)
    page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")
    assert {r["Key"]: r["Value"] for r in page["Records"]} == values
    dataset = client.describe_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["Dataset"]
    assert dataset["DataStorage"] == sum(len(k.encode()) + len(v.encode()) for k, v in values.items())
