"""A client's bound params (`cognitosync.new{params = ...}`) only fill in what a call leaves unset: a member the call
gives wins, in the operation methods, makeRequest and patchRecords. What was written is read back through boto3."""

from batchkit import lua_string, list_records, write
from testkit import new_id


def test_the_calls_own_params_win_over_bound_ones(endpoint, lua, pool):
    client = endpoint.client()
    bound_identity, own_identity = new_id(), new_id()
    write(client, pool, bound_identity, "bound", {"k": "bound value"})
    write(client, pool, own_identity, "own", {"k": "own value"})
    run = lua(endpoint.url, """
        local cognitosync = require("cognitosync")
        local cs = cognitosync.new{ params = { IdentityPoolId = %s, IdentityId = %s, DatasetName = "bound" } }
        local own = { IdentityId = %s, DatasetName = "own" }
        emit("bound", cs:listRecords{}.Records[1].Value)
        emit("method", cs:listRecords(own).Records[1].Value)
        emit("makeRequest", cs:makeRequest("listRecords", own).Records[1].Value)
        cs:patchRecords{ IdentityId = own.IdentityId, DatasetName = "own", set = { k = "patched" } }
    """ % (lua_string(pool), lua_string(bound_identity), lua_string(own_identity)))
    assert run.returncode == 0, run
    assert (run["bound"], run["method"], run["makeRequest"]) == ("bound value", "own value", "own value")
    own_records, _ = list_records(client, pool, own_identity, "own")
    bound_records, _ = list_records(client, pool, bound_identity, "bound")
    assert own_records["k"]["Value"] == "patched"
    assert bound_records["k"]["Value"] == "bound value"
    assert bound_records["k"]["SyncCount"] == 1
