"""A client whose first credential lookup is slow (a credential_process, an AssumeRole) never holds up another
client's requests: the lookup runs off the engine's thread, and its STS request goes through the engine's own
transport while that transport keeps serving the other client.

The slow source does not sleep for a while: it answers only once the other client's requests have reached the
endpoint in numbers, so the test waits on that event, and a lookup that blocked the engine would never answer."""

import datetime
import sys
import threading

import pytest

from batchkit import STSStandIn
from testkit import ACCESS_KEY, REGION, SECRET, new_id

ROLE_KEY, ROLE_SECRET = "ASIASLOW", "slow-secret"
# Requests of the other client that must reach the endpoint while the lookup is under way.
WANTED = 200
GIVE_UP = 60
FAR_FUTURE = datetime.datetime(2099, 1, 1, tzinfo=datetime.timezone.utc)

SCRIPT = """
local cognitosync = require("cognitosync")
local pool = %r
local function identity(i) return string.format("us-east-1:00000000-0000-4000-8000-%%012d", i %% 50 + 1) end
local steady = cognitosync.new{ params = { IdentityPoolId = pool } }
local slow = cognitosync.new{ params = { IdentityPoolId = pool }, profile = "slow" }
local slowDone = false
local slowTask = cognitosync.spawn(function()
  local ok, result = pcall(function() return slow:listDatasets{ IdentityId = identity(0) }.Count end)
  slowDone = true
  assert(ok, result)
  return result
end)
local sent = 0
local workers = {}
for w = 1, 16 do
  workers[w] = cognitosync.spawn(function()
    while not slowDone do
      sent = sent + 1
      steady:listDatasets{ IdentityId = identity(sent) }
    end
  end)
end
local ok, err = slowTask:wait()
for _, worker in ipairs(workers) do assert(worker:wait()) end
emit("slow", ok and "ok" or tostring(err))
"""

PROCESS = """import json, os, sys, time
with open(%(started)r + ".tmp", "w") as f:
    f.write(repr(time.monotonic()))
os.replace(%(started)r + ".tmp", %(started)r)
deadline = time.monotonic() + %(give_up)d
while not os.path.exists(%(gate)r):
    if time.monotonic() > deadline:
        sys.exit("the other client's requests never arrived")
    time.sleep(0.01)
print(json.dumps({"Version": 1, "AccessKeyId": %(key)r, "SecretAccessKey": %(secret)r}))
"""


class Gate:
    """Opens once WANTED requests signed with the steady client's key have reached the endpoint since the lookup
    started (`started()` gives when, or None before)."""

    def __init__(self, path):
        self.path = path
        self.started = lambda: None
        self.opened = threading.Event()

    def count(self, proxy):
        started = self.started()
        if started is None or self.opened.is_set():
            return
        with proxy.lock:
            steady = sum(1 for e in proxy.exchanges if e.key == ACCESS_KEY and e.arrived > started)
        if steady >= WANTED:
            self.path.write_text("open")
            self.opened.set()


def read_time(path):
    """A monotonic time another process wrote, or None before it has."""
    try:
        return float(path.read_text())
    except (FileNotFoundError, ValueError):
        return None


@pytest.mark.parametrize("source", ["credential_process", "assume role"])
def test_a_slow_first_lookup_does_not_hold_up_another_clients_requests(source, lua, start_endpoint, start_proxy,
                                                                        tmp_path):
    endpoint = start_endpoint("--fault", "latency=20ms", "--credentials", "%s:%s" % (ACCESS_KEY, SECRET),
                              "--credentials", "%s:%s" % (ROLE_KEY, ROLE_SECRET))
    gate = Gate(tmp_path / "gate")
    proxy = start_proxy(endpoint.url, before=lambda *_: gate.count(proxy))
    started = tmp_path / "lookup-started"
    sts = None
    if source == "credential_process":
        process = tmp_path / "slow_process.py"
        process.write_text(PROCESS % dict(started=str(started), give_up=GIVE_UP, gate=str(gate.path),
                                          key=ROLE_KEY, secret=ROLE_SECRET))
        profile = "credential_process = %s %s\n" % (sys.executable, process)
        gate.started = lambda: read_time(started)
    else:
        # AssumeRole answers once the gate opens.
        sts = STSStandIn(lambda n: (ROLE_KEY, ROLE_SECRET, "token", FAR_FUTURE) if gate.opened.wait(GIVE_UP) else None)
        gate.started = lambda: sts.arrivals[0] if sts.arrivals else None
        profile = ("role_arn = arn:aws:iam::123456789012:role/slow\nsource_profile = base\n"
                   "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n")
    aws = lua.home / ".aws"
    aws.mkdir()
    (aws / "config").write_text("[profile slow]\nregion = %s\n%s" % (REGION, profile))
    try:
        run = lua(proxy.url, SCRIPT % new_id(), env={"AWS_ENDPOINT_URL_STS": sts.url} if sts else None)
    finally:
        if sts:
            sts.stop()
    assert run.returncode == 0, run
    assert run["slow"] == "ok", run
    lookup_started = gate.started()
    steady_during = sum(1 for e in proxy.exchanges if e.key == ACCESS_KEY and e.arrived > lookup_started)
    assert steady_during >= WANTED, (steady_during, "requests of the other client arrived during the lookup")
    assert {e.key for e in proxy.exchanges} == {ACCESS_KEY, ROLE_KEY}
