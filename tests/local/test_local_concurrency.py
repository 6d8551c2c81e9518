"""32 clients writing at once: no lost update, sync counts strictly increasing."""

import threading

import pytest
from botocore.exceptions import ClientError

from localsync import list_all
from testkit import new_id

CLIENTS = 32
WRITES = 8


def run_threads(target):
    errors = []
    threads = []
    for n in range(CLIENTS):

        def body(n=n):
            try:
                target(n)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append((n, error))

        threads.append(threading.Thread(target=body))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def write_own_key(client, pool, identity, dataset, key, value, counts):
    page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName=dataset)
    current = {r["Key"]: r["SyncCount"] for r in page["Records"]}.get(key, 0)
    result = client.update_records(
        IdentityPoolId=pool,
        IdentityId=identity,
        DatasetName=dataset,
        SyncSessionToken=page["SyncSessionToken"],
        RecordPatches=[{"Op": "replace", "Key": key, "Value": value, "SyncCount": current}],
    )
    counts.append(result["Records"][0]["SyncCount"])


@pytest.mark.parametrize("storage", ["memory", "sqlite"])
def test_32_clients_on_different_keys_of_one_dataset(start_endpoint, tmp_path, storage):
    args = ["--data", str(tmp_path / "state.db")] if storage == "sqlite" else []
    endpoint = start_endpoint(*args)
    pool, identity = new_id(), new_id()
    counts_by_client = [[] for _ in range(CLIENTS)]

    def work(n):
        client = endpoint.client(max_pool_connections=2)
        for i in range(WRITES):
            write_own_key(client, pool, identity, "shared", "key%02d" % n, "v%d" % i, counts_by_client[n])

    run_threads(work)
    for counts in counts_by_client:
        assert counts == sorted(counts) and len(set(counts)) == WRITES
    every = [c for counts in counts_by_client for c in counts]
    assert sorted(every) == list(range(1, CLIENTS * WRITES + 1))
    final = list_all(endpoint.client(), pool, identity, "shared")
    assert final["DatasetSyncCount"] == CLIENTS * WRITES
    expected = {"key%02d" % n: "v%d" % (WRITES - 1) for n in range(CLIENTS)}
    assert {r["Key"]: r["Value"] for r in final["Records"]} == expected


def test_32_clients_on_different_datasets(endpoint):
    pool = new_id()
    identities = [new_id() for _ in range(2)]
    counts_by_client = [[] for _ in range(CLIENTS)]

    def work(n):
        client = endpoint.client()
        identity, dataset = identities[n % 2], "ds%02d" % (n // 2)
        for i in range(WRITES):
            write_own_key(client, pool, identity, dataset, "k%d" % i, "client%d" % n, counts_by_client[n])

    run_threads(work)
    client = endpoint.client()
    for n, counts in enumerate(counts_by_client):
        assert counts == list(range(1, WRITES + 1))
        page = list_all(client, pool, identities[n % 2], "ds%02d" % (n // 2))
        assert page["DatasetSyncCount"] == WRITES
        assert {r["Key"]: r["Value"] for r in page["Records"]} == {"k%d" % i: "client%d" % n for i in range(WRITES)}


def test_32_clients_incrementing_one_key_lose_no_update(endpoint):
    pool, identity = new_id(), new_id()
    increments = 4
    conflicts = []

    def work(n):
        client = endpoint.client()
        done = 0
        while done < increments:
            page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="counter")
            record = {r["Key"]: r for r in page["Records"]}.get("n")
            value, count = (int(record["Value"]), record["SyncCount"]) if record else (0, 0)
            try:
                client.update_records(
                    IdentityPoolId=pool,
                    IdentityId=identity,
                    DatasetName="counter",
                    SyncSessionToken=page["SyncSessionToken"],
                    RecordPatches=[{"Op": "replace", "Key": "n", "Value": str(value + 1), "SyncCount": count}],
                )
                done += 1
            except ClientError as error:
                assert error.response["Error"]["Code"] == "ResourceConflictException"
                conflicts.append(n)

    run_threads(work)
    page = endpoint.client().list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="counter")
    assert page["Records"][0]["Value"] == str(CLIENTS * increments)
    assert page["DatasetSyncCount"] == CLIENTS * increments
    assert conflicts
