"""push-setup.lua (idempotent configuration), bulk-publish.lua (start and wait) and pools-report.lua."""

import json

from testkit import new_id

ROLE = "arn:aws:iam::123456789012:role/cognito-push"
APP = "arn:aws:sns:us-east-1:123456789012:app/GCM/my-app"
OTHER_APP = "arn:aws:sns:us-east-1:123456789012:app/APNS/my-ios-app"
STREAM_ROLE = "arn:aws:iam::123456789012:role/cognito-stream"
TRIGGER = "arn:aws:lambda:us-east-1:123456789012:function:on-sync"


def state(local, pool):
    """Everything push-setup.lua may change, as boto3 sees it."""
    config = local.boto.get_identity_pool_configuration(IdentityPoolId=pool)
    events = local.boto.get_cognito_events(IdentityPoolId=pool)
    return {"PushSync": config.get("PushSync"), "CognitoStreams": config.get("CognitoStreams"),
            "Events": events.get("Events")}


def test_push_setup_configures_once_and_then_changes_nothing(local):
    pool, identity = new_id(), new_id()
    local.put(pool, identity, "settings", {"a": "1"})
    local.boto.set_identity_pool_configuration(IdentityPoolId=pool,
                                               PushSync={"RoleArn": ROLE, "ApplicationArns": [OTHER_APP]})
    args = [pool, "--role", ROLE, "--app", APP, "--stream", "sync-stream", "--stream-role", STREAM_ROLE,
            "--sync-trigger", TRIGGER, "--identity", identity, "--platform", "GCM", "--token", "device-token-1",
            "--dataset", "settings"]

    first = local.run("push-setup.lua", *args)
    assert [line.split()[:2] for line in first.stdout.splitlines()[:3]] == [
        ["push", "sync"], ["streams", "set"], ["events", "set"]]
    assert first.stdout.splitlines()[0].split()[2] == "set"
    configured = state(local, pool)
    assert configured == {
        "PushSync": {"RoleArn": ROLE, "ApplicationArns": [OTHER_APP, APP]},
        "CognitoStreams": {"StreamName": "sync-stream", "RoleArn": STREAM_ROLE, "StreamingStatus": "ENABLED"},
        "Events": {"SyncTrigger": TRIGGER},
    }
    device_id = local.boto.register_device(IdentityPoolId=pool, IdentityId=identity, Platform="GCM",
                                           Token="device-token-1")["DeviceId"]
    assert "%s subscribed to settings" % device_id in first.stdout

    second = local.run("push-setup.lua", *args, options=["--stats"])
    assert state(local, pool) == configured
    lines = second.stdout.splitlines()
    assert [line.split()[-3 if i == 0 else 1] for i, line in enumerate(lines[:3])] == ["unchanged"] * 3
    assert "%s subscribed to settings" % device_id in second.stdout
    # The second run only read: no Set... call was made.
    assert "GetIdentityPoolConfiguration" in second.stderr
    assert "SetIdentityPoolConfiguration" not in second.stderr and "SetCognitoEvents" not in second.stderr
    # The device is subscribed: unsubscribing works once.
    local.boto.unsubscribe_from_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="settings",
                                        DeviceId=device_id)


def test_push_setup_refuses_incomplete_arguments(local):
    done = local.run("push-setup.lua", new_id(), "--role", ROLE, "--app", APP, "--identity", new_id(), check=False)
    assert done.returncode == 2
    assert "a device needs --identity, --platform, --token and --dataset" in done.stderr


def test_bulk_publish_waits_for_success_and_reports_a_repeat(start_local):
    local = start_local("--bulk-publish-seconds", "0.5")
    pool = new_id()
    local.put(pool, new_id(), "settings", {"a": "1"})
    local.boto.set_identity_pool_configuration(IdentityPoolId=pool, CognitoStreams={
        "StreamName": "s", "RoleArn": STREAM_ROLE, "StreamingStatus": "ENABLED"})
    done = local.run("bulk-publish.lua", pool, "--delay", "0.2")
    assert done.stdout.splitlines()[0] == "bulk publish started for " + pool
    assert done.stdout.splitlines()[-1].startswith("SUCCEEDED: started ")
    assert local.boto.get_bulk_publish_details(IdentityPoolId=pool)["BulkPublishStatus"] == "SUCCEEDED"

    again = local.run("bulk-publish.lua", pool)
    assert again.stdout.startswith("already published in the last 24 hours: SUCCEEDED")


def test_bulk_publish_joins_a_running_publish_and_fails_without_streams(start_local):
    # The publish boto3 starts runs for 3 s: the script's first call, a process start later, finds it running even
    # on a loaded machine.
    local = start_local("--bulk-publish-seconds", "3")
    pool = new_id()
    local.put(pool, new_id(), "settings", {"a": "1"})
    local.boto.set_identity_pool_configuration(IdentityPoolId=pool, CognitoStreams={
        "StreamName": "s", "RoleArn": STREAM_ROLE, "StreamingStatus": "ENABLED"})
    local.boto.bulk_publish(IdentityPoolId=pool)
    joined = local.run("bulk-publish.lua", pool, "--delay", "0.2")
    assert joined.stdout.splitlines()[0] == "a bulk publish is already running for %s; waiting for it" % pool
    assert joined.stdout.splitlines()[-1].startswith("SUCCEEDED")

    quick = start_local("--bulk-publish-seconds", "0.5")
    unconfigured = new_id()
    quick.put(unconfigured, new_id(), "settings", {"a": "1"})
    failed = quick.run("bulk-publish.lua", unconfigured, "--delay", "0.2", check=False)
    assert failed.returncode == 1
    assert failed.stderr.startswith("WaiterFailed: bulk publish failed: ")
    assert quick.boto.get_bulk_publish_details(IdentityPoolId=unconfigured)["BulkPublishStatus"] == "FAILED"


def test_bulk_publish_gives_up_after_max_attempts(start_local):
    local = start_local("--bulk-publish-seconds", "30")
    pool = new_id()
    local.put(pool, new_id(), "settings", {"a": "1"})
    done = local.run("bulk-publish.lua", pool, "--delay", "0.1", "--max-attempts", "3", check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("ResourceNotReady: ")


def test_pools_report_table_and_json_match_boto3(start_local):
    local = start_local()
    synced = [new_id() for _ in range(3)]
    for n, pool in enumerate(synced):
        for i in range(n + 1):
            local.put(pool, new_id(), "settings", {"k": "v" * (i + 1)})
    # A pool made through Cognito Identity, with a name that has a space, and two identities nothing was written for.
    identity = local.client(service="cognito-identity")
    named = identity.create_identity_pool(IdentityPoolName="reporting pool",
                                          AllowUnauthenticatedIdentities=True)["IdentityPoolId"]
    for _ in range(2):
        identity.get_id(IdentityPoolId=named)
    pools = sorted(synced + [named])
    counts = {pool: len(identity.list_identities(IdentityPoolId=pool, MaxResults=60)["Identities"]) for pool in pools}
    assert counts[named] == 2 and sorted(counts.values()) == [1, 2, 2, 3]
    names = {p["IdentityPoolId"]: p["IdentityPoolName"]
             for p in identity.list_identity_pools(MaxResults=60)["IdentityPools"]}
    local.boto.set_identity_pool_configuration(IdentityPoolId=synced[1], PushSync={
        "RoleArn": ROLE, "ApplicationArns": [APP, OTHER_APP]}, CognitoStreams={
        "StreamName": "events-stream", "RoleArn": STREAM_ROLE, "StreamingStatus": "DISABLED"})
    local.boto.set_cognito_events(IdentityPoolId=synced[2], Events={"SyncTrigger": TRIGGER})

    report = json.loads(local.run("pools-report.lua", "--json").stdout)["pools"]
    usages = sorted(local.boto.list_identity_pool_usage()["IdentityPoolUsages"], key=lambda u: u["IdentityPoolId"])
    assert [p["IdentityPoolId"] for p in report] == pools == [u["IdentityPoolId"] for u in usages]
    for entry, usage in zip(report, usages):
        pool = usage["IdentityPoolId"]
        assert entry["IdentityPoolName"] == names[pool] and entry["IdentityCount"] == counts[pool]
        assert entry["DataStorage"] == usage["DataStorage"]
        assert entry["SyncSessionsCount"] == usage["SyncSessionsCount"]
        if "LastModifiedDate" in usage:
            assert abs(entry["LastModifiedDate"] - usage["LastModifiedDate"].timestamp()) < 0.001
        config = local.boto.get_identity_pool_configuration(IdentityPoolId=pool)
        events = local.boto.get_cognito_events(IdentityPoolId=pool)["Events"]
        assert entry.get("Events", {}) == events
        assert entry.get("CognitoStreams") == config.get("CognitoStreams")
        push = config.get("PushSync") or {}
        assert entry.get("PushSync", {}) == {k: v for k, v in push.items() if v}

    # The plain Lua JSON writer gives the same document.
    plain = local.run("pools-report.lua", "--json", env={"LUA_CPATH": "/nonexistent/?.so"})
    assert json.loads(plain.stdout)["pools"] == report

    table = local.run("pools-report.lua").stdout.splitlines()
    assert table[0].split() == ["POOL", "IDENTITIES", "SESSIONS", "BYTES", "LAST", "MODIFIED", "PUSH", "SYNC",
                                "STREAM", "EVENTS", "NAME"]
    assert table[-1] == "4 pools"
    rows = table[1:-1]
    assert [row.split()[0] for row in rows] == pools
    # Columns are aligned: text cells start where their heading starts, numbers end where it ends.
    for column in ("LAST MODIFIED", "PUSH SYNC", "STREAM", "EVENTS", "NAME"):
        start = table[0].index(column)
        assert all(row[start - 2:start] == "  " and row[start] != " " for row in rows)
    for column in ("IDENTITIES", "SESSIONS", "BYTES"):
        end = table[0].index(column) + len(column)
        assert all(row[end - 1] != " " and row[end:end + 2] == "  " for row in rows)
    by_pool = {row.split()[0]: row for row in rows}
    assert "2 apps" in by_pool[synced[1]] and "events-stream (DISABLED)" in by_pool[synced[1]]
    assert "  SyncTrigger  " in by_pool[synced[2]]
    for pool, row in by_pool.items():
        assert row.split()[1] == str(counts[pool])
        assert row.endswith("  " + names[pool])
    assert by_pool[named].split()[3] == "0"
