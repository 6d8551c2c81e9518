"""The rest of the JavaScript SDK's service object, and stopping work cleanly, end to end against cogsync-local
(through a recording proxy where what reached the endpoint matters): makeUnauthenticatedRequest, global defaults
(cognitosync.config, configure and the flags), request lifecycle hooks, task:cancel, map's failFast and
--max-errors."""

import time

from testkit import ACCESS_KEY, SECRET, new_id

IDENTITY = "us-east-1:00000000-0000-4000-8000-000000000001"


def test_an_unauthenticated_request_goes_without_a_signature_and_the_service_refusal_comes_back(
        lua, endpoint, start_proxy, pool):
    proxy = start_proxy(endpoint.url)
    run = lua(proxy.url, """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ params = { IdentityPoolId = %r } }
local ok, err = pcall(cs.makeUnauthenticatedRequest, cs, "listDatasets", { IdentityId = %r })
emit("failed", not ok)
emit("error", { code = err.code, statusCode = err.statusCode, message = err.message, operation = err.operation })
emit("signed", cs:listDatasets{ IdentityId = %r }.Count)
""" % (pool, IDENTITY, IDENTITY))
    assert run.returncode == 0, run
    assert run["failed"] is True
    assert run["error"] == {"code": "MissingAuthenticationTokenException", "statusCode": 403,
                            "message": "Missing Authentication Token", "operation": "ListDatasets"}
    assert run["signed"] == 0
    assert [e.key for e in proxy.exchanges] == [None, ACCESS_KEY], "the first carried no Authorization header"
    assert [e.status for e in proxy.exchanges] == [403, 200]


def test_defaults_from_config_and_flags_reach_new_clients_and_lose_to_their_own_options(lua, endpoint, pool):
    run = lua(endpoint.url, """
local cognitosync = require("cognitosync")
emit("flags", { region = cognitosync.config.region, maxRetries = cognitosync.config.maxRetries,
                retryMode = cognitosync.config.retryMode, dryRun = cognitosync.config.dryRun })
cognitosync.configure{ region = "eu-west-1", maxInFlight = 3, params = { IdentityPoolId = %r },
                       apiVersions = { cognitosync = "2014-06-30" } }
cognitosync.config.retryMode = "standard"
local fromConfig = cognitosync.new()
local own = cognitosync.new{ region = "us-east-1", retryMode = "adaptive" }
emit("fromConfig", tostring(fromConfig))
emit("own", tostring(own))
emit("boundParams", fromConfig.params.IdentityPoolId)
local keys = {}
for k in pairs(cognitosync.config) do keys[#keys + 1] = k end
table.sort(keys)
emit("keys", keys)
local ok, err = pcall(function() cognitosync.config.regoin = "x" end)
emit("unknownKey", err)
ok, err = pcall(cognitosync.configure, { maxRetries = 1, nope = true })
emit("unknownInConfigure", err)
emit("unchanged", cognitosync.config.maxRetries)
cognitosync.config.maxRetries = -1
ok, err = pcall(cognitosync.new)
emit("badValue", { code = err.code, path = err.path })
cognitosync.config.maxRetries = nil
cognitosync.config.apiVersions = { cognitosync = "2013-01-01" }
ok, err = pcall(cognitosync.new)
emit("badVersion", { code = err.code, path = err.path })
""" % pool, "--region", "ap-south-1", "--max-retries", "4", "--retry-mode", "adaptive", "--dry-run")
    assert run.returncode == 0, run
    assert run["flags"] == {"region": "ap-south-1", "maxRetries": 4, "retryMode": "adaptive", "dryRun": True}
    assert run["fromConfig"].startswith("cognitosync.client (eu-west-1, ") and run["fromConfig"].endswith(
        "retryMode standard)")
    assert run["own"].startswith("cognitosync.client (us-east-1, ") and run["own"].endswith("retryMode adaptive)")
    assert run["boundParams"] == pool
    assert run["keys"] == ["apiVersions", "dryRun", "maxInFlight", "maxRetries", "params", "region", "retryMode"]
    assert run["unknownKey"].endswith("cognitosync.config: unknown option regoin (options are those of "
                                      "cognitosync.new)")
    assert "unknown option nope" in run["unknownInConfigure"]
    assert run["unchanged"] == 4, "a configure call with an unknown key changes nothing"
    assert run["badValue"] == {"code": "MinRangeError", "path": "cognitosync.config.maxRetries"}
    assert run["badVersion"] == {"code": "InvalidParameter", "path": "cognitosync.config.apiVersions.cognitosync"}


HOOKS = """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ params = { IdentityPoolId = %r, IdentityId = %r, DatasetName = "settings" },
                            maxRetries = 9, retryDelayOptions = { customBackoff = function() return 1 end } }
local seen = {}
local function record(e)
  seen[#seen + 1] = { event = e.event, operation = e.operation, params = e.params, attempt = e.attempt,
    attempts = e.attempts, status = e.status, delay = e.delay, ok = e.ok,
    latency = type(e.latency), code = e.error and e.error.code }
end
for _, name in ipairs({ "send", "retry", "success", "error", "complete" }) do cs:on(name, record) end
cs:on("send", function() error("a broken hook") end)
local page = cs:listRecords{}
emit("listed", page.Count)
local written = cs:updateRecords{ SyncSessionToken = page.SyncSessionToken,
  RecordPatches = { { Op = "replace", Key = "k", Value = "v", SyncCount = 0 } } }
emit("written", written.Records[1].Key)
local ok, err = pcall(cs.listRecords, cs, { DatasetName = "" })
emit("invalid", err.code)
cs:on("complete", function() cs:listDatasets{} end)
cs:on("complete", function()
  local _, e = pcall(cs.listDatasets, cs, {})
  emit("reentrant", { code = e.code, message = e.message })
end)
cs:listDatasets{}
emit("seen", seen)
"""


def test_hooks_fire_in_order_with_their_fields_and_never_show_a_secret(lua, start_endpoint, start_proxy, pool):
    # Half the requests fail with a 500 and are retried (the seed fixes which: the first three among them).
    endpoint = start_endpoint("--fault", "error=0.5", "--seed", "3")
    run = lua(endpoint.url, HOOKS % (pool, IDENTITY))
    assert run.returncode == 0, run
    assert run["listed"] == 0 and run["written"] == "k" and run["invalid"] == "MinLengthError"
    seen = run["seen"]
    # Every call: send (and retry, send again for each 500), then success and complete, in that order.
    calls, current = [], []
    for event in seen:
        current.append(event)
        if event["event"] == "complete":
            calls.append(current)
            current = []
    assert [c[0]["operation"] for c in calls] == ["ListRecords", "UpdateRecords", "ListDatasets"]
    retried = 0
    for call in calls:
        names = [e["event"] for e in call]
        sends = names.count("send")
        assert names == ["send", "retry"] * (sends - 1) + ["send", "success", "complete"], names
        retried += sends - 1
        for n, e in enumerate(e for e in call if e["event"] == "send"):
            assert e["attempt"] == n + 1
        for e in call:
            if e["event"] == "retry":
                assert (e["status"], e["code"], e["delay"]) == (500, "InternalErrorException", 0.001)
        end = call[-1]
        assert (end["ok"], end["status"], end["attempts"], end["latency"]) == (True, 200, sends, "number")
    assert retried >= 1, "the seed makes at least one 500"
    update = [e for e in seen if e["operation"] == "UpdateRecords" and e["event"] == "send"][0]
    assert update["params"]["SyncSessionToken"] == "<redacted>"
    assert update["params"]["RecordPatches"] == [{"Op": "replace", "Key": "k", "Value": "v", "SyncCount": 0}]
    assert update["params"]["DatasetName"] == "settings"
    # A hook that raises is reported once; one that calls the API gets ReentrantCall.
    assert run.stderr.count('a "send" hook of client 1 failed: ') == 1, run.stderr
    assert "a broken hook" in run.stderr
    assert run["reentrant"]["code"] == "ReentrantCall"
    assert "cannot be called from a logger, customBackoff or request hook" in run["reentrant"]["message"]
    assert 'a "complete" hook of client 1 failed: ' in run.stderr and "ReentrantCall" in run.stderr
    for secret in (SECRET, ):
        assert secret not in run.stdout and secret not in run.stderr
    sync_tokens = [line for line in run.stdout.splitlines() if "SyncSessionToken" in line]
    assert all('"SyncSessionToken":"<redacted>"' in line for line in sync_tokens)


def test_cancel_abandons_the_request_in_flight_at_once_and_nothing_is_retried(lua, start_endpoint, start_proxy,
                                                                              pool, tmp_path):
    endpoint = start_endpoint("--fault", "latency=2s")
    arrived = tmp_path / "arrived"
    proxy = start_proxy(endpoint.url, before=lambda *_: arrived.write_text("yes"))
    run = lua(proxy.url, """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ params = { IdentityPoolId = %r } }
local task = cognitosync.spawn(function() return cs:listDatasets{ IdentityId = %r } end)
-- Wait until the request is at the endpoint (the proxy marks its arrival).
while not io.open(%r) do cognitosync.sleep(0.005) end
emit("before", task.status)
task:cancel()
local ok, err = task:wait()
emit("after", { ok = ok, code = err.code, status = task.status, text = tostring(task) })
task:cancel()
emit("again", task.status)
local done = cognitosync.spawn(function() return 7 end)
emit("finished", { done:wait() })
done:cancel()
emit("finishedAfterCancel", { done.status, done:wait() })
""" % (pool, IDENTITY, str(arrived)))
    # The script has ended, and the endpoint is still holding the request it was sent.
    answered_by_then = len(proxy.exchanges)
    assert run.returncode == 0, run
    assert run["before"] == "waiting"
    assert run["after"] == {"ok": False, "code": "Cancelled", "status": "failed",
                            "text": "cognitosync.task (failed)"}
    assert run["again"] == "failed"
    assert run["finished"] == [True, 7]
    assert run["finishedAfterCancel"] == ["done", True, 7]
    assert answered_by_then == 0, "the script did not wait for the 2 s answer"
    assert proxy.peak == 1
    deadline = time.monotonic() + 30
    while not proxy.exchanges and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(proxy.exchanges) == 1, "one request, never retried"


MAP = """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ params = { IdentityPoolId = %r } }
local sends, sends_at_failure = 0, nil
cs:on("send", function() sends = sends + 1 end)
local items = {}
for i = 1, %d do items[i] = string.format("us-east-1:00000000-0000-4000-8000-%%012d", i) end
local results, errors = cognitosync.map(items, function(identity, i)
  local count = cs:listDatasets{ IdentityId = identity }.Count
  if i == 20 then
    sends_at_failure = sends
    error("item 20 is wrong")
  end
  return count
end, { concurrency = 16, failFast = %s })
emit("sends", { atFailure = sends_at_failure, total = sends })
local n, failed = 0, {}
for _ in pairs(results) do n = n + 1 end
for i, e in pairs(errors or {}) do failed[#failed + 1] = i .. ": " .. tostring(e) end
emit("results", n)
emit("errors", failed)
"""


def test_fail_fast_stops_a_map_after_the_first_failure(lua, start_endpoint, start_proxy, pool):
    endpoint = start_endpoint("--fault", "latency=5ms")
    proxy = start_proxy(endpoint.url)
    run = lua(proxy.url, MAP % (pool, 1000, "true"))
    assert run.returncode == 0, run
    assert len(run["errors"]) == 1 and run["errors"][0].startswith("20: ") and "item 20 is wrong" in run["errors"][0]
    sends = run["sends"]
    assert sends["total"] - sends["atFailure"] < 16, sends
    assert run["results"] < sends["atFailure"]
    # What reached the endpoint is what the client sent, the abandoned requests included.
    deadline = time.monotonic() + 30
    while proxy.in_flight and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(proxy.exchanges) == sends["total"]

    without = start_proxy(endpoint.url)
    run = lua(without.url, MAP % (pool, 100, "false"))
    assert run.returncode == 0, run
    assert run["results"] == 99 and len(run["errors"]) == 1
    assert len(without.exchanges) == 100


def test_max_errors_stops_a_run_against_an_endpoint_that_fails_every_write(lua, start_endpoint, start_proxy, pool):
    endpoint = start_endpoint("--fault", "error=1")
    proxy = start_proxy(endpoint.url)
    run = lua(proxy.url, """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ params = { IdentityPoolId = %r, DatasetName = "d" }, maxRetries = 0 }
local items = {}
for i = 1, 500 do items[i] = string.format("us-east-1:00000000-0000-4000-8000-%%012d", i) end
local _, errors = cognitosync.map(items, function(identity)
  cs:updateRecords{ IdentityId = identity, SyncSessionToken = "t",
    RecordPatches = { { Op = "replace", Key = "k", Value = "v", SyncCount = 0 } } }
end, { concurrency = 4, progress = "writing" })
local codes = {}
for _, e in pairs(errors) do codes[e.code] = (codes[e.code] or 0) + 1 end
emit("codes", codes)
local ok, err = pcall(cs.listDatasets, cs, { IdentityId = items[1] })
emit("later", { code = err.code, message = err.message })
""" % pool, "--max-errors", "10")
    assert run.returncode == 0, run
    codes = run["codes"]
    assert set(codes) == {"InternalErrorException", "TooManyErrors"}
    assert 10 <= codes["InternalErrorException"] < 10 + 4, "the calls in flight when the limit was reached finish"
    assert codes["TooManyErrors"] == 500 - codes["InternalErrorException"]
    assert len(proxy.exchanges) == codes["InternalErrorException"], "nothing is sent once the limit is reached"
    assert run["later"]["code"] == "TooManyErrors"
    assert run["later"]["message"] == "stopped: %d calls failed (--max-errors 10); no more calls are sent" % (
        codes["InternalErrorException"])
    assert "(stopped: %d calls failed (--max-errors 10))" % codes["InternalErrorException"] in run.stderr


def test_max_errors_needs_a_positive_count(tmp_path):
    import subprocess
    from testkit import binary
    for bad in ("0", "-3", "many"):
        done = subprocess.run([str(binary("cogsync-lua")), "--max-errors", bad, "-e", "print(1)"],
                              capture_output=True, text=True, timeout=30, cwd=str(tmp_path))
        assert done.returncode == 1 and done.stdout == ""
        assert "'--max-errors' needs a positive integer, got '%s'" % bad in done.stderr


def test_a_logger_or_custom_backoff_that_calls_the_api_gets_reentrant_call(lua, start_endpoint, pool):
    endpoint = start_endpoint("--fault", "error=1")
    run = lua(endpoint.url, """
local cognitosync = require("cognitosync")
local logged
local cs = cognitosync.new{ params = { IdentityPoolId = %r, IdentityId = %r }, maxRetries = 1,
  logger = function(line)
    logged = logged or select(2, pcall(function() return cognitosync.Client.listDatasets(_G.cs, {}) end))
  end,
  retryDelayOptions = { customBackoff = function() return _G.cs:listDatasets{} and 1 end } }
_G.cs = cs
local ok, err = pcall(cs.listDatasets, cs, {})
emit("call", { code = err.code, message = err.message })
emit("logged", { code = logged.code })
""" % (pool, IDENTITY))
    assert run.returncode == 0, run
    # customBackoff raised ReentrantCall, so the call failed saying what the function did.
    assert run["call"]["code"] == "InvalidParameter"
    assert "customBackoff" in run["call"]["message"] and "ReentrantCall" in run["call"]["message"]
    assert run["logged"] == {"code": "ReentrantCall"}
