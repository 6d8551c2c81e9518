"""The service's quotas: 20 datasets per identity, 1,024 records and 1 MB per dataset."""

import pytest
from botocore.exceptions import ClientError

from localsync import error_of, put


def test_twenty_datasets_per_identity(client, ids):
    pool, identity = ids
    for i in range(20):
        put(client, pool, identity, "d%02d" % i, {"k": "v"})
    with pytest.raises(ClientError) as excinfo:
        put(client, pool, identity, "d20", {"k": "v"})
    assert error_of(excinfo)[:2] == ("LimitExceededException", 400)
    put(client, pool, identity, "d00", {"k": "still writable"})
    client.delete_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d00")
    put(client, pool, identity, "d20", {"k": "v"})


def test_1024_records_per_dataset_not_counting_tombstones(client, ids):
    pool, identity = ids
    put(client, pool, identity, "d", {"k%04d" % i: "v" for i in range(1024)})
    with pytest.raises(ClientError) as excinfo:
        put(client, pool, identity, "d", {"one-too-many": "v"})
    code, status, message = error_of(excinfo)
    assert (code, status) == ("LimitExceededException", 400)
    assert "1024" in message
    put(client, pool, identity, "d", {}, remove=["k0000"])
    put(client, pool, identity, "d", {"replacement": "v"})
    dataset = client.describe_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["Dataset"]
    assert dataset["NumRecords"] == 1024


def test_one_megabyte_per_dataset(client, ids):
    pool, identity = ids
    half = "x" * (512 * 1024)
    put(client, pool, identity, "d", {"a": half})
    with pytest.raises(ClientError) as excinfo:
        put(client, pool, identity, "d", {"b": half})
    assert error_of(excinfo)[:2] == ("LimitExceededException", 400)
    fits = "x" * (512 * 1024 - 2)
    put(client, pool, identity, "d", {"b": fits})
    dataset = client.describe_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["Dataset"]
    assert dataset["DataStorage"] == 1024 * 1024
    with pytest.raises(ClientError) as excinfo:
        put(client, pool, identity, "d", {"c": ""})
    assert error_of(excinfo)[:2] == ("LimitExceededException", 400)


def test_full_dataset_renames_a_key_in_one_update(client, ids):
    """One update that removes a key and sets another keeps a full dataset at 1,024 live records: the removed key's
    tombstone does not count, so the update is accepted (rename-key.lua writes renames this way)."""
    pool, identity = ids
    put(client, pool, identity, "d", {"k%04d" % i: "v" for i in range(1024)})
    put(client, pool, identity, "d", {"renamed": "v"}, remove=["k0000"])
    dataset = client.describe_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["Dataset"]
    assert dataset["NumRecords"] == 1024
