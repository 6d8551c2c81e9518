"""waitFor("bulkPublishCompleted"): success, failure, nothing started, attempts exhausted."""

import pytest

from batchkit import lua_string, write
from testkit import new_id

STREAMS = {"StreamName": "events", "RoleArn": "arn:aws:iam::000000000000:role/streams",
           "StreamingStatus": "ENABLED"}

SCRIPT = """
    local cognitosync = require("cognitosync")
    local cs = cognitosync.new{}
    local pool = %s
    if %s then cs:bulkPublish{ IdentityPoolId = pool } end
    local ok, result = pcall(cs.waitFor, cs, "bulkPublishCompleted", { IdentityPoolId = pool }, %s)
    local polls = cognitosync.stats().operations.GetBulkPublishDetails
    emit("outcome", { ok = ok, status = ok and result.BulkPublishStatus or nil,
                      completed = ok and result.BulkPublishCompleteTime or nil,
                      code = not ok and result.code or nil, message = not ok and result.message or nil,
                      polls = polls and polls.calls or 0 })
"""


@pytest.fixture
def publishing(start_endpoint, start_proxy):
    """An endpoint whose bulk publish runs take 0.6 s, behind a counting proxy; returns (endpoint, proxy)."""
    endpoint = start_endpoint("--bulk-publish-seconds", "0.6")
    return endpoint, start_proxy(endpoint.url)


def prepared_pool(endpoint, streams):
    pool = new_id()
    client = endpoint.client()
    write(client, pool, new_id(), "d", {"k": "v"})
    if streams:
        client.set_identity_pool_configuration(IdentityPoolId=pool, CognitoStreams=STREAMS)
    return pool, client


def test_waits_until_succeeded(publishing, lua):
    endpoint, proxy = publishing
    pool, client = prepared_pool(endpoint, streams=True)
    run = lua(proxy.url, SCRIPT % (lua_string(pool), "true", "{ delay = 0.1, maxAttempts = 30 }"))
    assert run.returncode == 0, run
    outcome = run["outcome"]
    assert outcome["ok"] is True and outcome["status"] == "SUCCEEDED"
    details = client.get_bulk_publish_details(IdentityPoolId=pool)
    assert details["BulkPublishStatus"] == "SUCCEEDED"
    assert outcome["completed"] == pytest.approx(details["BulkPublishCompleteTime"].timestamp(), abs=0.001)
    # It polled while the run was in progress (0.6 s at 0.1 s intervals) and stopped at the first success.
    assert outcome["polls"] == proxy.count("GetBulkPublishDetails", 200)
    assert 2 <= outcome["polls"] <= 10
    statuses = [e.status for e in proxy.exchanges]
    assert statuses[0] == 200 and proxy.exchanges[0].operation == "BulkPublish"


def test_failed_run_raises_waiter_failed(publishing, lua):
    endpoint, proxy = publishing
    pool, _ = prepared_pool(endpoint, streams=False)
    run = lua(proxy.url, SCRIPT % (lua_string(pool), "true", "{ delay = 0.1, maxAttempts = 30 }"))
    assert run.returncode == 0, run
    outcome = run["outcome"]
    assert outcome["ok"] is False and outcome["code"] == "WaiterFailed"
    assert "Cognito Streams is not configured" in outcome["message"]
    assert 2 <= outcome["polls"] <= 10


def test_not_started_raises_waiter_failed_at_once(publishing, lua):
    endpoint, proxy = publishing
    pool, _ = prepared_pool(endpoint, streams=True)
    run = lua(proxy.url, SCRIPT % (lua_string(pool), "false", "{ delay = 5, maxAttempts = 30 }"))
    assert run.returncode == 0, run
    outcome = run["outcome"]
    assert outcome["ok"] is False and outcome["code"] == "WaiterFailed"
    assert pool in outcome["message"]
    assert outcome["polls"] == 1 == proxy.count("GetBulkPublishDetails")


def test_max_attempts_exhausted_raises_resource_not_ready(publishing, lua):
    endpoint, proxy = publishing
    pool, _ = prepared_pool(endpoint, streams=True)
    run = lua(proxy.url, SCRIPT % (lua_string(pool), "true", "{ delay = 0.05, maxAttempts = 3 }"))
    assert run.returncode == 0, run
    outcome = run["outcome"]
    assert outcome["ok"] is False and outcome["code"] == "ResourceNotReady"
    assert outcome["polls"] == 3 == proxy.count("GetBulkPublishDetails", 200)


def test_service_errors_and_unknown_waiters(publishing, lua):
    _, proxy = publishing
    run = lua(proxy.url, """
        local cs = require("cognitosync").new{}
        local ok, err = pcall(cs.waitFor, cs, "bulkPublishCompleted", { IdentityPoolId = %s }, { delay = 0 })
        emit("missing", { ok, err.code, err.statusCode })
        ok, err = pcall(cs.waitFor, cs, "bulkPublishDone", {})
        emit("unknown", { ok, tostring(err) })
    """ % lua_string(new_id()))
    assert run.returncode == 0, run
    assert run["missing"] == [False, "ResourceNotFoundException", 404]
    assert run["unknown"][0] is False and "bulkPublishCompleted" in run["unknown"][1]
    assert proxy.count("GetBulkPublishDetails") == 1
