"""Each NextToken of ListRecords, ListDatasets and ListIdentityPoolUsage moves past the page it came with, checked
page by page through boto3. The loops stop at a bound rather than trusting the endpoint to end them, so a token
that does not move on fails the test instead of hanging it."""

from localsync import put
from testkit import new_id


def follow(call, limit, **kwargs):
    """The pages `call` answers while following NextToken; fails when there is still a token after `limit`."""
    pages = []
    while len(pages) < limit:
        page = call(**kwargs)
        pages.append(page)
        if "NextToken" not in page:
            return pages
        kwargs["NextToken"] = page["NextToken"]
    raise AssertionError("still a NextToken after %d pages: the token does not move on" % limit)


def test_list_records_pages_follow_each_other(client, ids):
    pool, identity = ids
    put(client, pool, identity, "d", {"k%d" % i: "v" for i in range(5)})
    pages = follow(client.list_records, 3, IdentityPoolId=pool, IdentityId=identity, DatasetName="d", MaxResults=2)
    assert [[r["Key"] for r in page["Records"]] for page in pages] == [["k0", "k1"], ["k2", "k3"], ["k4"]]


def test_list_datasets_pages_follow_each_other(client, ids):
    pool, identity = ids
    for name in ("a", "b", "c", "d", "e"):
        put(client, pool, identity, name, {"k": "v"})
    pages = follow(client.list_datasets, 3, IdentityPoolId=pool, IdentityId=identity, MaxResults=2)
    assert [[d["DatasetName"] for d in page["Datasets"]] for page in pages] == [["a", "b"], ["c", "d"], ["e"]]


def test_list_identity_pool_usage_pages_follow_each_other(client):
    pools = sorted(new_id() for _ in range(5))
    for pool in pools:
        put(client, pool, new_id(), "d", {"k": "v"})
    pages = follow(client.list_identity_pool_usage, 3, MaxResults=2)
    assert [[u["IdentityPoolId"] for u in page["IdentityPoolUsages"]] for page in pages] == [
        pools[0:2], pools[2:4], pools[4:5]]
