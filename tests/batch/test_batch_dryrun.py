"""Dry run: mutating calls are validated and reported, never sent; reads still go out."""

import json

import pytest

from batchkit import lua_string, write
from testkit import new_id

MUTATING = {"BulkPublish", "DeleteDataset", "RegisterDevice", "SetCognitoEvents", "SetIdentityPoolConfiguration",
            "SubscribeToDataset", "UnsubscribeFromDataset", "UpdateRecords"}

SCRIPT = """
    local cognitosync = require("cognitosync")
    local cs = cognitosync.new{ %s params = { IdentityPoolId = %s } }
    local identity, fresh = %s, %s
    local page = cs:listRecords{ IdentityId = identity, DatasetName = "d" }
    emit("read", { page.Count, page.Records[1].Key, page.Records[1].Value })
    local update = cs:updateRecords{ IdentityId = identity, DatasetName = "d", SyncSessionToken = page.SyncSessionToken,
      ClientContext = "ctx", RecordPatches = { { Op = "replace", Key = "color", Value = "dry", SyncCount = 1 } } }
    emit("update", update)
    emit("created", cs:updateRecords{ IdentityPoolId = fresh, IdentityId = identity, DatasetName = "new",
      SyncSessionToken = page.SyncSessionToken, RecordPatches = {} }.Operation)
    local others = {
      cs:deleteDataset{ IdentityId = identity, DatasetName = "d" },
      cs:setIdentityPoolConfiguration{ CognitoStreams = { StreamName = "s", StreamingStatus = "ENABLED",
        RoleArn = "arn:aws:iam::000000000000:role/streams" } },
      cs:setCognitoEvents{ Events = { SyncTrigger = "arn:aws:lambda:us-east-1:000000000000:function:f" } },
      cs:bulkPublish{},
      cs:registerDevice{ IdentityId = identity, Platform = "GCM", Token = "token" },
      cs:subscribeToDataset{ IdentityId = identity, DatasetName = "d", DeviceId = "device" },
      cs:unsubscribeFromDataset{ IdentityId = identity, DatasetName = "d", DeviceId = "device" },
    }
    local names = {}
    for i, result in ipairs(others) do names[i] = result.DryRun and result.Operation end
    emit("others", names)
    local patched = cs:patchRecords{ IdentityId = identity, DatasetName = "d", set = { color = "patched", extra = "x" },
      remove = { "size" } }
    emit("patch", { patched.DryRun, patched.Operation, patched.RecordPatches })
    emit("details", cs:getBulkPublishDetails{}.BulkPublishStatus)
    local ok, err = pcall(cs.updateRecords, cs, { IdentityId = identity, DatasetName = "d",
      SyncSessionToken = page.SyncSessionToken, RecordPatches = { { Op = "rename", Key = "k", SyncCount = 0 } } })
    emit("invalid", { ok, tostring(err) })
    local stats = cognitosync.stats()
    local updates = stats.operations.UpdateRecords
    emit("stats", { dryRuns = stats.dryRuns, calls = stats.calls, updates = updates.dryRuns,
                    updateCalls = updates.calls })
"""


def snapshot(client, identity):
    """Everything the endpoint reports about its pools and about `identity`."""
    state = {}
    for usage in client.list_identity_pool_usage(MaxResults=60)["IdentityPoolUsages"]:
        pool = usage["IdentityPoolId"]
        state[pool] = {
            "usage": client.describe_identity_pool_usage(IdentityPoolId=pool)["IdentityPoolUsage"],
            "configuration": client.get_identity_pool_configuration(IdentityPoolId=pool),
            "events": client.get_cognito_events(IdentityPoolId=pool)["Events"],
            "publish": client.get_bulk_publish_details(IdentityPoolId=pool),
            "identity": client.describe_identity_usage(IdentityPoolId=pool, IdentityId=identity)["IdentityUsage"],
            "datasets": {d["DatasetName"]: client.list_records(IdentityPoolId=pool, IdentityId=identity,
                                                               DatasetName=d["DatasetName"])["Records"]
                         for d in client.list_datasets(IdentityPoolId=pool, IdentityId=identity)["Datasets"]},
        }
        for value in state[pool].values():
            if isinstance(value, dict):
                value.pop("ResponseMetadata", None)
        state[pool]["usage"].pop("SyncSessionsCount", None)  # every ListRecords counts a session
    return state


@pytest.mark.parametrize("mode", ["--dry-run", "dryRun = true"])
def test_dry_run_sends_nothing_that_changes_state(endpoint, lua, start_proxy, pool, mode):
    client = endpoint.client()
    identity, fresh = new_id(), new_id()
    write(client, pool, identity, "d", {"color": "blue", "size": "10"})
    client.set_identity_pool_configuration(IdentityPoolId=pool, PushSync={
        "ApplicationArns": ["arn:aws:sns:us-east-1:000000000000:app/GCM/app"],
        "RoleArn": "arn:aws:iam::000000000000:role/push"})
    device = client.register_device(IdentityPoolId=pool, IdentityId=identity, Platform="GCM", Token="t")["DeviceId"]
    before = snapshot(client, identity)
    proxy = start_proxy(endpoint.url)
    flags = ("--dry-run",) if mode == "--dry-run" else ()
    options = "" if mode == "--dry-run" else mode + ","
    run = lua(proxy.url, SCRIPT.replace('"device"', lua_string(device))
              % (options, lua_string(pool), lua_string(identity), lua_string(fresh)), *flags)
    assert run.returncode == 0, run
    assert snapshot(client, identity) == before
    assert fresh not in before

    # Only reads went over the wire; they returned the endpoint's data.
    assert not MUTATING & set(proxy.operations()), proxy.exchanges
    assert proxy.count("ListRecords", 200) == 2 and proxy.count("GetBulkPublishDetails", 200) == 1
    assert run["read"][0] == 2 and {run["read"][1]: run["read"][2]} in ({"color": "blue"}, {"size": "10"})
    assert run["details"] == "NOT_STARTED"

    # The documented result of a call not sent.
    update = run["update"]
    assert update["DryRun"] is True and update["Operation"] == "UpdateRecords" and update["Method"] == "POST"
    assert update["Path"] == "/identitypools/%s/identities/%s/datasets/d" % (
        pool.replace(":", "%3A"), identity.replace(":", "%3A"))
    body = json.loads(update["Body"])
    assert body["RecordPatches"] == [{"Op": "replace", "Key": "color", "Value": "dry", "SyncCount": 1}]
    assert run["created"] == "UpdateRecords"
    assert run["others"] == ["DeleteDataset", "SetIdentityPoolConfiguration", "SetCognitoEvents", "BulkPublish",
                             "RegisterDevice", "SubscribeToDataset", "UnsubscribeFromDataset"]

    # patchRecords read the current counts and reports the patches it would send.
    dry, operation, patches = run["patch"]
    assert dry is True and operation == "UpdateRecords"
    assert sorted(patches, key=lambda p: p["Key"]) == [
        {"Op": "replace", "Key": "color", "Value": "patched", "SyncCount": 1},
        {"Op": "replace", "Key": "extra", "Value": "x", "SyncCount": 0},
        {"Op": "remove", "Key": "size", "SyncCount": 1},
    ]

    # Validation still applies before anything would be sent.
    assert run["invalid"][0] is False and "RecordPatches[1].Op" in run["invalid"][1]

    # Each call not sent is reported on stderr and counted apart from the calls made.
    notes = [line for line in run.stderr.splitlines() if line.startswith("[dry-run]")]
    assert len(notes) == 10
    assert any("updateRecords POST /identitypools/" in line for line in notes)
    assert run["stats"] == {"dryRuns": 10, "calls": 3, "updates": 3, "updateCalls": 0}
