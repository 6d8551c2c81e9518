"""DescribeIdentityPoolUsage, DescribeIdentityUsage and ListIdentityPoolUsage."""

import pytest
from botocore.exceptions import ClientError

from localsync import error_of, put
from testkit import new_id


def test_identity_and_pool_usage_follow_writes(client, ids):
    pool, identity = ids
    put(client, pool, identity, "a", {"k1": "12345"})
    put(client, pool, identity, "b", {"k2": "x"})
    other = new_id()
    put(client, pool, other, "a", {"key": "value"})

    usage = client.describe_identity_usage(IdentityPoolId=pool, IdentityId=identity)["IdentityUsage"]
    assert usage["IdentityId"] == identity and usage["IdentityPoolId"] == pool
    assert usage["DatasetCount"] == 2
    assert usage["DataStorage"] == len("k1") + len("12345") + len("k2") + len("x")
    assert "LastModifiedDate" in usage

    client.delete_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="b")
    usage = client.describe_identity_usage(IdentityPoolId=pool, IdentityId=identity)["IdentityUsage"]
    assert usage["DatasetCount"] == 1 and usage["DataStorage"] == 7

    pool_usage = client.describe_identity_pool_usage(IdentityPoolId=pool)["IdentityPoolUsage"]
    assert pool_usage["IdentityPoolId"] == pool
    assert pool_usage["DataStorage"] == 7 + len("key") + len("value")
    # Each put lists first; the very first listing came before the pool existed, so it counts nowhere.
    assert pool_usage["SyncSessionsCount"] == 2
    before = pool_usage["SyncSessionsCount"]
    client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="a")
    after = client.describe_identity_pool_usage(IdentityPoolId=pool)["IdentityPoolUsage"]["SyncSessionsCount"]
    assert after == before + 1


def test_unknown_pool_and_identity_are_not_found(client, ids):
    pool, identity = ids
    with pytest.raises(ClientError) as excinfo:
        client.describe_identity_pool_usage(IdentityPoolId=pool)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    put(client, pool, identity, "d", {"k": "v"})
    with pytest.raises(ClientError) as excinfo:
        client.describe_identity_usage(IdentityPoolId=pool, IdentityId=new_id())
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_list_identity_pool_usage_pages(client):
    pools = sorted(new_id() for _ in range(7))
    for pool in pools:
        put(client, pool, new_id(), "d", {"k": "v"})
    seen = []
    kwargs = {"MaxResults": 3}
    pages = 0
    while True:
        page = client.list_identity_pool_usage(**kwargs)
        pages += 1
        assert page["MaxResults"] == 3
        assert page["Count"] == len(page["IdentityPoolUsages"])
        seen += [u["IdentityPoolId"] for u in page["IdentityPoolUsages"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert pages == 3
    assert seen == pools
    everything = client.list_identity_pool_usage()
    assert everything["MaxResults"] == 60 and everything["Count"] == 7
    assert all(u["DataStorage"] == 2 for u in everything["IdentityPoolUsages"])
