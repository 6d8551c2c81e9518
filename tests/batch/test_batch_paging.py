"""pages/items over several pages of listRecords, listDatasets and listIdentityPoolUsage, checked against what
boto3 lists."""

import pytest

from batchkit import lua_string, list_records, write
from testkit import new_id


def test_pages_and_items_of_list_records(endpoint, lua, start_proxy, pool):
    client = endpoint.client()
    identity = new_id()
    expected = {"key%02d" % i: "value%d" % i for i in range(11)}
    write(client, pool, identity, "d", dict(list(expected.items())[:6]))
    write(client, pool, identity, "d", dict(list(expected.items())[6:]))
    proxy = start_proxy(endpoint.url)
    run = lua(proxy.url, """
        local cognitosync = require("cognitosync")
        local cs = cognitosync.new{}
        local params = { IdentityPoolId = %s, IdentityId = %s, DatasetName = "d", MaxResults = 3 }
        local sizes, keys = {}, {}
        for page in cs:pages("listRecords", params) do
          sizes[#sizes + 1] = #page.Records
          for _, record in ipairs(page.Records) do keys[#keys + 1] = record.Key .. "=" .. record.Value end
        end
        emit("sizes", sizes)
        emit("pages", keys)
        local items, last = {}, nil
        for record, page in cs:items("listRecords", params) do
          items[#items + 1] = record.Key .. "=" .. record.Value .. "@" .. record.SyncCount
          last = page
        end
        emit("items", items)
        emit("last", { last.DatasetSyncCount, last.NextToken == nil })
        emit("params", params.NextToken == nil)
    """ % (lua_string(pool), lua_string(identity)))
    assert run.returncode == 0, run
    records, _ = list_records(client, pool, identity, "d")
    assert run["sizes"] == [3, 3, 3, 2]
    assert sorted(run["pages"]) == sorted("%s=%s" % (k, r["Value"]) for k, r in records.items())
    assert len(set(run["pages"])) == 11
    assert sorted(run["items"]) == sorted("%s=%s@%d" % (k, r["Value"], r["SyncCount"]) for k, r in records.items())
    assert len(run["items"]) == 11
    assert run["last"] == [2, True]
    assert run["params"] is True  # the caller's table is not modified
    assert proxy.count("ListRecords") == 8
    tokens = [e.target for e in proxy.exchanges if "nextToken=" in e.target]
    assert len(tokens) == 6  # every page after the first asks with the previous page's token


def test_items_of_list_datasets(endpoint, lua, pool):
    client = endpoint.client()
    identity = new_id()
    names = ["set%d" % i for i in range(7)]
    for name in names:
        write(client, pool, identity, name, {"k": name})
    run = lua(endpoint.url, """
        local cognitosync = require("cognitosync")
        local cs = cognitosync.new{ params = { IdentityPoolId = %s, IdentityId = %s } }
        local names, pages = {}, 0
        for dataset in cs:items("listDatasets", { MaxResults = 2 }) do names[#names + 1] = dataset.DatasetName end
        for page in cs:pages("listDatasets", { MaxResults = 2 }) do pages = pages + 1 end
        emit("names", names)
        emit("pages", pages)
    """ % (lua_string(pool), lua_string(identity)))
    assert run.returncode == 0, run
    listed, token = [], None
    while True:
        page = client.list_datasets(IdentityPoolId=pool, IdentityId=identity, MaxResults=2,
                                    **({"NextToken": token} if token else {}))
        listed += [d["DatasetName"] for d in page["Datasets"]]
        token = page.get("NextToken")
        if not token:
            break
    assert sorted(listed) == names
    assert run["names"] == listed
    assert run["pages"] == 4


def test_items_of_list_identity_pool_usage(endpoint, lua):
    client = endpoint.client()
    pools = sorted(new_id() for _ in range(7))
    for pool in pools:
        write(client, pool, new_id(), "d", {"k": "v"})
    run = lua(endpoint.url, """
        local cognitosync = require("cognitosync")
        local cs = cognitosync.new{}
        local ids, sizes = {}, {}
        for usage in cs:items("listIdentityPoolUsage", { MaxResults = 3 }) do ids[#ids + 1] = usage.IdentityPoolId end
        for page in cs:pages("listIdentityPoolUsage", { MaxResults = 3 }) do
          sizes[#sizes + 1] = #page.IdentityPoolUsages
        end
        emit("ids", ids)
        emit("sizes", sizes)
    """)
    assert run.returncode == 0, run
    listed, token = [], None
    while True:
        page = client.list_identity_pool_usage(MaxResults=3, **({"NextToken": token} if token else {}))
        listed += [u["IdentityPoolId"] for u in page["IdentityPoolUsages"]]
        token = page.get("NextToken")
        if not token:
            break
    assert sorted(listed) == pools
    assert run["ids"] == listed
    assert len(set(run["ids"])) == 7
    assert run["sizes"] == [3, 3, 1]


@pytest.mark.parametrize("call", ["pages", "items"])
def test_paging_an_unpaginated_operation_is_an_error(endpoint, lua, call):
    run = lua(endpoint.url, """
        local cs = require("cognitosync").new{}
        local ok, err = pcall(cs.%s, cs, "describeDataset", {})
        emit("err", { ok, tostring(err) })
    """ % call)
    assert run.returncode == 0, run
    assert run["err"][0] is False
    assert "listRecords" in run["err"][1] and "describeDataset" in run["err"][1]


def test_pages_and_items_resume_from_a_given_next_token(endpoint, lua, pool):
    """A NextToken in the parameters is where paging starts, as when the same call is made by hand."""
    client = endpoint.client()
    identity = new_id()
    write(client, pool, identity, "d", {"key%02d" % i: "v" for i in range(8)})
    first = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", MaxResults=3)
    rest, token = [], first["NextToken"]
    while token:
        page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", MaxResults=3,
                                   NextToken=token)
        rest += [r["Key"] for r in page["Records"]]
        token = page.get("NextToken")
    run = lua(endpoint.url, """
        local cs = require("cognitosync").new{}
        local params = { IdentityPoolId = %s, IdentityId = %s, DatasetName = "d", MaxResults = 3, NextToken = %s }
        local paged, items = {}, {}
        for page in cs:pages("listRecords", params) do
          for _, record in ipairs(page.Records) do paged[#paged + 1] = record.Key end
        end
        for record in cs:items("listRecords", params) do items[#items + 1] = record.Key end
        emit("paged", paged)
        emit("items", items)
    """ % (lua_string(pool), lua_string(identity), lua_string(first["NextToken"])))
    assert run.returncode == 0, run
    assert len(rest) == 5
    assert run["paged"] == rest
    assert run["items"] == rest


def test_bound_params_apply_only_to_operations_that_take_them(endpoint, lua, pool):
    """A client bound to one dataset still pages over pool usage and datasets and waits for a bulk publish: as in
    the JavaScript SDK, a bound parameter is only added where the operation's input has that member."""
    client = endpoint.client()
    identity = new_id()
    for name in ("d", "e", "f"):
        write(client, pool, identity, name, {"k": "v"})
    run = lua(endpoint.url, """
        local cognitosync = require("cognitosync")
        local cs = cognitosync.new{ params = { IdentityPoolId = %s, IdentityId = %s, DatasetName = "d" } }
        local pools, datasets = {}, {}
        for usage in cs:items("listIdentityPoolUsage", { MaxResults = 1 }) do
          pools[#pools + 1] = usage.IdentityPoolId
        end
        for dataset in cs:items("listDatasets", { MaxResults = 2 }) do datasets[#datasets + 1] = dataset.DatasetName end
        local ok, err = pcall(cs.waitFor, cs, "bulkPublishCompleted", {}, { delay = 0 })
        emit("pools", pools)
        emit("datasets", datasets)
        emit("waiter", err.code)
        emit("records", #cs:listRecords{}.Records)
    """ % (lua_string(pool), lua_string(identity)))
    assert run.returncode == 0, run
    assert run["pools"] == [pool]
    assert run["datasets"] == ["d", "e", "f"]
    assert run["waiter"] == "WaiterFailed"  # NOT_STARTED, not a complaint about DatasetName
    assert run["records"] == 1
