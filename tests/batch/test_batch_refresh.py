"""Assume-role credentials that enter botocore's advisory refresh window in the middle of a run, with an STS that
takes 3 s to answer: requests keep arriving at the endpoint during the refresh (measured at a pass-through
proxy), none fails, and the new credentials sign the requests after it."""

import datetime
import os
import subprocess
import time

from batchkit import LUA_DIR, Run, STSStandIn
from testkit import REGION, binary, new_id

KEYS = {"ASIAFIRST": "first-secret", "ASIASECOND": "second-secret"}

ROLE_CONFIG = """[profile base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = base-secret
[profile role]
role_arn = arn:aws:iam::123456789012:role/migrator
source_profile = base
region = %s
""" % REGION

SCRIPT = """
local emit = require('testout').emit
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ params = { IdentityPoolId = %r } }
local items = {}
for i = 1, %d do items[i] = string.format("us-east-1:00000000-0000-4000-8000-%%012d", i %% 50 + 1) end
local _, errors = cognitosync.map(items, function(identity) return cs:listDatasets{ IdentityId = identity }.Count end,
  { concurrency = 16 })
local failed = {}
for i, err in pairs(errors or {}) do failed[#failed + 1] = i .. ": " .. tostring(err) end
emit("failed", failed)
emit("stats", cognitosync.stats())
"""


def slow_sts_answer(n):
    """The first credentials enter the advisory window 2 to 3 s after they are issued (the expiration is given to the
    second), time for the run to start sending with them on a loaded machine; the second answer comes 3 s late."""
    if n == 0:
        key, lifetime = "ASIAFIRST", 15 * 60 + 3
    else:
        time.sleep(3)
        key, lifetime = "ASIASECOND", 3600
    expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=lifetime)
    return key, KEYS[key], "token-" + key, expiration


def test_a_slow_refresh_never_stalls_the_requests_in_flight(start_endpoint, start_proxy, tmp_path):
    endpoint = start_endpoint("--fault", "latency=20ms",
                              *[arg for key, secret in KEYS.items() for arg in ("--credentials", key + ":" + secret)])
    proxy = start_proxy(endpoint.url)
    sts = STSStandIn(slow_sts_answer)
    try:
        (tmp_path / "config").write_text(ROLE_CONFIG)
        (tmp_path / "home").mkdir()
        script = tmp_path / "refresh.lua"
        # 8,000 calls, 16 at a time, each answered after 20 ms: at least 10 s, well past the refresh's end at ~6 s.
        script.write_text(SCRIPT % (new_id(), 8000))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "LUA_"))}
        env.update(HOME=str(tmp_path / "home"), AWS_CONFIG_FILE=str(tmp_path / "config"),
                   AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"), AWS_PROFILE="role",
                   AWS_ENDPOINT_URL=proxy.url, AWS_ENDPOINT_URL_STS=sts.url, AWS_EC2_METADATA_DISABLED="true",
                   LUA_PATH="%s/?.lua;;" % LUA_DIR)
        run = Run(subprocess.run([str(binary("cogsync-lua")), str(script)], env=env, capture_output=True, text=True,
                                 timeout=180))
    finally:
        sts.stop()
    assert run.returncode == 0, run
    assert not run["failed"], run["failed"][:5]
    assert len(sts.calls) == 2, "one fetch, then one background refresh"

    arrivals = sorted(e.arrived for e in proxy.exchanges)
    average = len(arrivals) / (arrivals[-1] - arrivals[0])
    refresh_start, refresh_end = sts.calls[1]
    assert arrivals[-1] > refresh_end, "the run outlasted the refresh"
    during = sum(1 for t in arrivals if refresh_start <= t <= refresh_end)
    rate_during = during / (refresh_end - refresh_start)
    assert rate_during >= 0.5 * average, (rate_during, average)
    # Signed with the first key until the refresh ended, with the second one after it.
    keys_after = {e.key for e in proxy.exchanges if e.arrived > refresh_end + 0.5}
    assert keys_after == {"ASIASECOND"}, keys_after
    assert {e.key for e in proxy.exchanges if e.arrived < refresh_start} == {"ASIAFIRST"}
    print("requests/s: %.0f on average, %.0f during the 3 s refresh" % (average, rate_during))
